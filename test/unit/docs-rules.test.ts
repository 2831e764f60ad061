import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * docs/rules.md defines every rule id the code, the tests and the docs cite: a test name citing `IV-8`
 * promises that a reader can look IV-8 up, and the page's "tested in" column promises files that hold it.
 */
const ROOT = join(__dirname, '..', '..');
const RULES = 'docs/rules.md';

/** The families of the contracts: token API (GT, RF, IV, AU, ER), SSO (COMMON, OIDC-x, SAML-x, RM, TOK, OPEN), lifecycle (LC) and the audit log (AUDIT). */
const RULE_ID = /\b(?:(?:GT|RF|IV|AU|ER|COMMON|RM|TOK|OPEN|LC|AUDIT)-\d+|(?:OIDC|SAML)-[A-Z]-\d+)\b/g;
const ROW = /^\| ([A-Z][A-Z0-9-]*) \| (.+) \| (.+) \|$/;

function filesUnder(directory: string): string[] {
  return readdirSync(join(ROOT, directory)).flatMap((name) => {
    const path = join(directory, name);
    return statSync(join(ROOT, path)).isDirectory() ? filesUnder(path) : [path];
  });
}

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const citedIn = (path: string) => new Set(read(path).match(RULE_ID) ?? []);

interface Rule {
  readonly id: string;
  readonly statement: string;
  readonly testedIn: string;
}

function rules(): Rule[] {
  return read(RULES)
    .split('\n')
    .flatMap((line) => {
      const match = ROW.exec(line);
      return match === null || match[1] === 'id' ? [] : ([{ id: match[1], statement: match[2], testedIn: match[3] }] as Rule[]);
    });
}

describe('docs/rules.md: every cited rule id is defined, with the tests that hold it', () => {
  const defined = rules();
  const ids = new Set(defined.map((rule) => rule.id));

  it('defines each id once, each row `| id | statement | tested in |` with a statement and a test', () => {
    expect(defined.length).toBeGreaterThan(100);
    expect(defined.map((rule) => rule.id).filter((id, i, all) => all.indexOf(id) !== i)).toEqual([]);
    for (const rule of defined) {
      expect(rule.id).toMatch(new RegExp(`^${RULE_ID.source}$`));
      expect(rule.statement.length).toBeGreaterThan(20);
      expect(rule.testedIn.trim()).not.toBe('');
    }
  });

  it('defines every id cited in functions/, infra/, test/, docs/ and README.md', () => {
    const sources = [
      ...filesUnder('functions'),
      ...filesUnder('infra'),
      ...filesUnder('test'),
      ...filesUnder('docs'),
      'README.md',
    ];
    const undefinedIds = sources.flatMap((path) =>
      [...citedIn(path)].filter((id) => !ids.has(id)).map((id) => `${id} (cited in ${relative(ROOT, join(ROOT, path))})`),
    );
    expect(undefinedIds).toEqual([]);
  });

  it('names under "tested in" only test files that exist and cite the rule, or a defined rule to see', () => {
    const problems = defined.flatMap(({ id, testedIn }) => {
      const see = /^see ([A-Z][A-Z0-9-]*)$/.exec(testedIn);
      if (see !== null) return ids.has(see[1] as string) ? [] : [`${id}: see ${see[1]}, which is not defined`];
      const files = [...testedIn.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string);
      if (files.length === 0) return [`${id}: no test file named`];
      return files.flatMap((file) => {
        if (!existsSync(join(ROOT, file))) return [`${id}: ${file} does not exist`];
        return citedIn(file).has(id) ? [] : [`${id}: ${file} does not cite it`];
      });
    });
    expect(problems).toEqual([]);
  });

  it('sees a cited id that is not defined (the check can fail)', () => {
    // Spelled in parts, so that this file cites no undefined id itself.
    const [unknown, saml] = [['GT', '99'].join('-'), ['SAML', 'Q', '1'].join('-')];
    expect(`a test of ${unknown} and ${saml}, not of SHA-256`.match(RULE_ID)).toEqual([unknown, saml]);
    expect(ids.has(unknown)).toBe(false);
  });
});

describe('README.md and docs/ cite only tests that exist, under the names they give', () => {
  const pages = ['README.md', ...filesUnder('docs').filter((path) => path.endsWith('.md'))];
  const flat = (text: string) => text.replace(/\s+/g, ' ');

  it('names only test files and directories that exist', () => {
    const missing = pages.flatMap((page) =>
      [...read(page).matchAll(/`(test\/[^`\s]*)`/g)]
        .map((match) => match[1] as string)
        .filter((path) => !existsSync(join(ROOT, path)))
        .map((path) => `${page}: ${path}`),
    );
    expect(missing).toEqual([]);
  });

  it('quotes, after a test file, only names that file holds (the security page cites each guarantee so)', () => {
    const citations = pages.flatMap((page) =>
      [...flat(read(page)).matchAll(/`(test\/[^`]+\.test\.ts)` \(((?:"[^"]+"(?:, )?)+)/g)].flatMap((match) =>
        [...(match[2] as string).matchAll(/"([^"]+)"/g)].map((name) => ({
          page,
          file: match[1] as string,
          name: name[1] as string,
        })),
      ),
    );
    expect(citations.filter(({ page }) => page === 'docs/security.md').length).toBeGreaterThan(20);
    const wrong = citations
      .filter(({ file, name }) => !existsSync(join(ROOT, file)) || !flat(read(file)).includes(name))
      .map(({ page, file, name }) => `${page}: ${file} has no test "${name}"`);
    expect(wrong).toEqual([]);
  });
});
