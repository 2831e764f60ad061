import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ELASTICSEARCH_VERSION } from '../../functions/http/product';
import { USERS } from '../support/file-realm';
import { startTestApi, type TestApi } from '../support/test-api';

const run = promisify(execFile);
const SCRIPT = join(__dirname, 'python_client_flows.py');
// Debian's interpreter, where apt installs python3-elasticsearch (another python3 may come first on the PATH).
const PYTHON = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

let api: TestApi;
beforeAll(async () => {
  // Said plainly when missing, rather than as a Python traceback: `.ci/run` installs it as it installs Java.
  await run(PYTHON, ['-c', 'import elasticsearch']).catch(() => {
    throw new Error(`${PYTHON} cannot import elasticsearch: apt-get install python3-elasticsearch (or run .ci/run)`);
  });
  api = await startTestApi();
});
afterAll(() => api.close());

/** The flows of python_client_flows.py, through Debian's python3-elasticsearch (7.17), against the local API. */
async function pythonFlows(env: Record<string, string> = {}) {
  const { elastic, tokenClient } = USERS;
  const { stdout } = await run(
    PYTHON,
    [SCRIPT, api.url, elastic.username, elastic.password, tokenClient.username, tokenClient.password],
    { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
  );
  return JSON.parse(stdout);
}

const EXPECTED_FLOWS = {
  info: { number: ELASTICSEARCH_VERSION, tagline: 'You Know, for Search' },
  ping: true,
  get_token: { type: 'Bearer', user: USERS.tokenClient.username },
  authenticate: { username: USERS.tokenClient.username, authentication_type: 'token' },
  refresh: { user: USERS.tokenClient.username, new_pair: true },
  invalidate: { invalidated_tokens: 1 },
  after_invalidate: { status: 401 },
  // Only from the client holding the invalidated token: its product check got 401, and the Python
  // client warns and goes on (as against Elasticsearch), to get its 401 from authenticate.
  warnings: ['The client is unable to verify that the server is Elasticsearch due security privileges on the server side'],
};

describe('the Python client (Debian python3-elasticsearch 7.17), unchanged', () => {
  it('passes its product check on GET / and runs get-token, authenticate, refresh and invalidate', async () => {
    const facts = await pythonFlows();
    expect(facts.client).toMatch(/^7\.17\./);
    expect(facts.answered_as).toEqual(['application/json']);
    expect(facts).toMatchObject(EXPECTED_FLOWS);
    expect(facts.failed).toBeUndefined();
  });

  it('with its versioned media types (compatible-with=7, an extension) it runs the same flows', async () => {
    // Elasticsearch 9 accepts compatible-with=9 or 8 only; this service accepts 7 too (docs/differences.md).
    const facts = await pythonFlows({ ELASTIC_CLIENT_APIVERSIONING: '1' });
    expect(facts.answered_as).toEqual(['application/vnd.elasticsearch+json;compatible-with=7']);
    expect(facts).toMatchObject(EXPECTED_FLOWS);
    expect(facts.failed).toBeUndefined();
  });
});
