import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Setting } from '../../functions/setting-types';
import { SETTINGS } from '../../functions/settings';
import { CONFIGURATION_DOC, settingsTable, withSettingsTable } from '../../infra/configuration-doc';

const ROOT = join(__dirname, '..', '..');
const doc = readFileSync(CONFIGURATION_DOC, 'utf8');

/**
 * Variables the code reads that are not the service's settings: the AWS SDK's credentials, the CDK CLI's, and the
 * Java launcher's options, which DynamoDB Local's JVM is started with (infra/local/dynamodb-local.ts).
 */
const NOT_SETTINGS = new Set(['AWS_ACCESS_KEY_ID', 'CDK_DEFAULT_ACCOUNT', 'CDK_DEFAULT_REGION', 'JDK_JAVA_OPTIONS']);

function sources(directory: string): string[] {
  return readdirSync(join(ROOT, directory), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => readFileSync(join(ROOT, directory, file), 'utf8'));
}

describe('docs/configuration.md', () => {
  it('holds the settings table as functions/settings.ts renders it (npx tsx infra/configuration-doc.ts rewrites it)', () => {
    expect(withSettingsTable(doc)).toBe(doc);
  });

  it('has a row for every variable and context key of the table, and no other', () => {
    const documented = settingsTable()
      .split('\n')
      .slice(2)
      .map((row) => row.split(' | ').slice(0, 2).join(' | '));
    const expected = (Object.values(SETTINGS) as Setting[]).map(
      (s) =>
        `| ${[s.env, s.envFallback].flatMap((name) => (name === undefined ? [] : [`\`${name}\``])).join(', ')} | ${s.context === undefined ? '' : `\`${s.context}\``}`,
    );
    expect(documented).toEqual(expected);
  });

  it('knows every variable the functions and infra/ read from the environment', () => {
    const read = new Set(
      [...sources('functions'), ...sources('infra')].flatMap((source) =>
        [...source.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)].map(([, name]) => name as string),
      ),
    );
    const known = new Set((Object.values(SETTINGS) as Setting[]).flatMap((s) => [s.env, s.envFallback]));
    expect([...read].filter((name) => !known.has(name) && !NOT_SETTINGS.has(name))).toEqual([]);
  });
});
