import { execFileSync } from 'node:child_process';
import { scanAll, testClients, testEndpoint } from '../support/dynamodb';
import { USERS } from '../support/file-realm';
import { type NpmStart, startNpmStart } from '../support/npm-start';
import { call } from '../support/test-api';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start: the local API as a process', () => {
  it('starts its own DynamoDB Local, prints a generated elastic password once, serves, and SIGTERM leaves nothing running', async () => {
    const started = startNpmStart({ ELASTIC_PASSWORD: '', DYNAMODB_ENDPOINT: '' });
    try {
      const url = await started.url;
      const [, password] = await started.waitFor(/Generated password for the elastic user: (\S+)/);
      const [, dynamoPort] = started.output().match(/DynamoDB: http:\/\/127\.0\.0\.1:(\d+)/) ?? [];

      const token = await call({ url }, 'POST', '/_security/oauth2/token', {
        auth: { username: 'elastic', password: password as string },
        body: { grant_type: 'password', username: 'elastic', password: password as string },
      });
      expect(token.status).toBe(200);
      const me = await call({ url }, 'GET', '/_security/_authenticate', {
        auth: { bearer: token.body.access_token },
      });
      expect(me.body.authentication_type).toBe('token');

      const javaPid = Number(
        execFileSync('pgrep', ['-f', '--', `DynamoDBLocal.jar .*-port ${dynamoPort}`])
          .toString()
          .trim(),
      );
      expect(isAlive(javaPid)).toBe(true);
      expect(await started.stop()).toBe(0);
      expect(isAlive(javaPid)).toBe(false);
      expect(started.output().match(/Generated password/g)).toHaveLength(1);
    } finally {
      started.child.kill('SIGKILL');
    }
  });

  it('uses DYNAMODB_ENDPOINT and ELASTIC_PASSWORD when given', async () => {
    const started = startNpmStart({
      ELASTIC_PASSWORD: USERS.elastic.password,
      DYNAMODB_ENDPOINT: testEndpoint(),
      TOKENS_TABLE: 'process-test-tokens',
    });
    try {
      const url = await started.url;
      // The DynamoDB line is a write of its own and may arrive in a later chunk than the first.
      const [, endpoint] = await started.waitFor(/DynamoDB: (http:\/\/[^\s,]+)/);
      expect(endpoint).toBe(testEndpoint());
      expect(started.output()).not.toContain('Generated password');
      const me = await call({ url }, 'GET', '/_security/_authenticate', { auth: USERS.elastic });
      expect(me.status).toBe(200);
    } finally {
      await started.stop();
    }
  });

  it('IV-10: kill -9 during a realm-wide invalidation: its tokens stay refused, and the restarted process finishes the sweep', async () => {
    const env = {
      ELASTIC_PASSWORD: USERS.elastic.password,
      DYNAMODB_ENDPOINT: testEndpoint(),
      TOKENS_TABLE: `process-kill-tokens-${process.pid}`,
      // One pair per run: the sweep is still going on in the background when the process is killed.
      INVALIDATION_BUDGET: '0s',
      INVALIDATION_PAGE_SIZE: '1',
      INVALIDATION_SETTLE: '0s',
    };
    const first = startNpmStart(env);
    let second: NpmStart | undefined;
    const { client, documents } = testClients();
    try {
      const api = { url: await first.url };
      const grant = () =>
        call(api, 'POST', '/_security/oauth2/token', { auth: USERS.elastic, body: { grant_type: 'client_credentials' } });
      const tokens: string[] = [];
      for (let i = 0; i < 80; i += 20)
        tokens.push(...(await Promise.all(Array.from({ length: 20 }, grant))).map((r) => r.body.access_token));
      const answer = await call(api, 'DELETE', '/_security/oauth2/token', {
        auth: USERS.elastic,
        body: { realm_name: 'reserved' },
      });
      first.kill();
      await first.exited;
      expect(answer.status).toBe(200);
      expect(answer.headers.get('warning')).toMatch(/continues in the background/);
      const live = async () =>
        (await scanAll(documents, env.TOKENS_TABLE)).filter((item) => !String(item.id).startsWith('#') && !item.accessInvalidated)
          .length;
      expect(await live()).toBeGreaterThan(0);

      second = startNpmStart(env);
      const secondUrl = await second.url;
      expect(second.output()).toMatch(/Resuming 1 unfinished/);
      for (const token of tokens.slice(-10)) {
        expect((await call({ url: secondUrl }, 'GET', '/_security/_authenticate', { auth: { bearer: token } })).status).toBe(401);
      }
      // Waits for the resumed sweep to finish (a condition, with a deadline), not for a guessed time.
      const deadline = Date.now() + 60_000;
      while ((await live()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await live()).toBe(0);
    } finally {
      first.kill();
      await second?.stop();
      // Its keep-alive sockets would hold jest open after the run.
      documents.destroy();
      client.destroy();
    }
  }, 120_000);

  it('GT-12: an out-of-range TOKEN_TIMEOUT refuses to start with a clear one-line message', async () => {
    const started = startNpmStart({ TOKEN_TIMEOUT: '2h', DYNAMODB_ENDPOINT: testEndpoint() });
    expect(await started.exited).toBe(1);
    expect(started.output().trim()).toMatch(/^error: TOKEN_TIMEOUT: access token timeout \[2h\] is out of range/m);
  });

  it('without Java, says in one line what to install', async () => {
    const started = startNpmStart({ DYNAMODB_ENDPOINT: '', PATH: '/nonexistent' });
    expect(await started.exited).toBe(1);
    const errorLines = started
      .output()
      .split('\n')
      .filter((line) => line.startsWith('error:'));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(/needs Java 17 or later.*install a Java runtime/);
  });
});
