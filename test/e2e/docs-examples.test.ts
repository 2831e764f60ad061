import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SECOND } from '../support/clock';
import { testEndpoint } from '../support/dynamodb';
import {
  answerDifferences,
  documentationExamples,
  type Example,
  examplesOf,
  lastJson,
  MARKERS,
  type Marker,
  ROOT,
} from '../support/markdown-examples';
import { recordExchange, recordSecret } from '../support/secrets-audit';
import { startTestApi, type TestApi } from '../support/test-api';

/**
 * Every shell and JavaScript example of the README and of docs/ runs as written against a local API, as the
 * README says: the test's API stands in for `http://127.0.0.1:9200` (started with ELASTIC_PASSWORD=changeme), its
 * DynamoDB Local for `http://127.0.0.1:8000`, and the API's tables are the environment's USERS_TABLE etc. A
 * block fails on a non-zero exit, on an HTTP error its page does not show, and on an answer other than the
 * JSON block shown right after it.
 */
const PASSWORD = 'changeme';
const MOST_MARKED = 23;

const examples = documentationExamples();
const runnable = examples.filter((example) => example.language !== undefined && example.marker === undefined);
const marked = examples.filter((example) => example.language !== undefined && example.marker !== undefined);

let api: TestApi;
beforeAll(async () => {
  // Said plainly when missing, rather than as a failed example: `.ci/run` installs them as it installs Java.
  for (const tool of ['curl', 'jq']) {
    const found = await run('sh', ['-c', `command -v ${tool}`], '', ROOT, process.env);
    if (found.code !== 0) throw new Error(`the documentation examples need ${tool}: apt-get install ${tool} (or run .ci/run)`);
  }
  api = await startTestApi({ ELASTIC_PASSWORD: PASSWORD });
  recordSecret('password', PASSWORD);
});
afterAll(() => api.close());

/** The passwords an example sends (`-u name:password`, a JSON or JS `password`), for the secrets audit to look for. */
function passwordsIn(code: string): string[] {
  const patterns = [/-u [^:\s]+:([^\s'"]+)/g, /"password":\s*"([^"]+)"/g, /password: '([^']+)'/g, /printf '%s' '([^']+)'/g];
  return patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1] as string));
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: string[], input: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, timeout: 90_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A program that exits before reading its script closes the pipe: its exit code and stderr say why.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

const CHECKOUT = ['package.json', 'node_modules', 'functions', 'infra', 'tsconfig.json'];

/** A directory of its own, where `npm run` and `require` find the project as they do in a checkout. */
function scratchCheckout(): string {
  const directory = mkdtempSync(join(tmpdir(), 'docs-example-'));
  for (const entry of CHECKOUT) symlinkSync(join(ROOT, entry), join(directory, entry));
  return directory;
}

/** Removes what the example wrote; the links first, so that nothing of the project is followed. */
function removeScratch(directory: string): void {
  for (const entry of CHECKOUT) unlinkSync(join(directory, entry));
  rmSync(directory, { recursive: true, force: true });
}

const asRun = (code: string) =>
  code.replaceAll('http://127.0.0.1:9200', api.url).replaceAll('http://127.0.0.1:8000', testEndpoint());

async function runExample(example: Example): Promise<Run> {
  const env = {
    ...process.env,
    USERS_TABLE: api.usersTable,
    TOKENS_TABLE: api.tokensTable,
    ROLES_TABLE: api.rolesTable,
    ELASTIC_PASSWORD: PASSWORD,
  };
  if (example.language === 'js') return run(process.execPath, ['--input-type=module'], asRun(example.code), ROOT, env);
  const cwd = scratchCheckout();
  // An HTTP error fails the block, unless the answer its page shows is that error.
  const showsError = example.answer !== undefined && /"error"/.test(example.answer);
  const prelude = showsError ? '' : 'curl() { command curl --fail-with-body "$@"; }\n';
  writeFileSync(join(cwd, 'example.sh'), `${prelude}${asRun(example.code)}\n`);
  try {
    return await run('bash', ['-e', '-o', 'pipefail', 'example.sh'], '', cwd, env);
  } finally {
    removeScratch(cwd);
  }
}

describe('the examples of README.md and docs/ run against the local API', () => {
  it('finds the examples, and reads a fence and its answer as a reader does', () => {
    expect(runnable.length).toBeGreaterThan(10);
    const [block] = examplesOf('x.md', '```sh\ncurl -s x\n```\n\n```json\n{"a": "…"}\n```\n');
    expect(block).toMatchObject({ language: 'sh', marker: undefined, answer: '{"a": "…"}' });
    expect(answerDifferences(JSON.parse('{"a": "…", "b": [1]}'), { a: 'token', b: [1], c: 3 })).toEqual([]);
    expect(answerDifferences({ a: '…', b: [1] }, { a: 1, b: [2] })).toEqual([
      '$.a: a string expected, got 1',
      '$.b[0]: 1 expected, got 2',
    ]);
    expect(lastJson('{"x":1}\n{"a":{"b":1}}')).toEqual({ a: { b: 1 } });
    const [session] = examplesOf('x.md', '```console\n$ echo a \\\n  b\na b\n$ true\n```\n');
    expect(session?.code).toBe('echo a \\\n  b\ntrue');
  });

  it(`marks at most ${MOST_MARKED} blocks as not run, each with a marker its code bears out`, () => {
    const problems = marked.flatMap(({ file, line, marker, code }) => {
      const known = MARKERS[marker as Marker];
      if (known === undefined) return [`${file}:${line}: unknown marker [${marker}] (one of ${Object.keys(MARKERS).join(', ')})`];
      return known.shows.test(code) ? [] : [`${file}:${line}: marked ${marker} (${known.reason}), but nothing in it shows that`];
    });
    expect(problems).toEqual([]);
    expect(marked.length).toBeLessThanOrEqual(MOST_MARKED);
  });

  it.each(runnable.map((example) => [`${example.file}:${example.line} (${example.info})`, example] as const))(
    '%s runs as written',
    async (_name, example) => {
      // A reader takes a moment between examples: an invalidation's watermark covers the instant it was made in.
      api.clock.advance(SECOND);
      for (const password of passwordsIn(example.code)) recordSecret('password', password);
      const result = await runExample(example);
      for (const value of result.stdout.split('\n').map(lastJson)) recordExchange({ responseBody: value });
      const report = `exit ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
      expect(result.code === 0 ? 'exit 0' : report).toBe('exit 0');
      if (example.answer !== undefined) {
        expect(answerDifferences(JSON.parse(example.answer), lastJson(result.stdout))).toEqual([]);
      }
    },
    120_000,
  );
});
