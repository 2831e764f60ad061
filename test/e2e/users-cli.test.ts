import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { promisify } from 'node:util';
import { runUsersCommand } from '../../infra/users-cli';
import { testEndpoint } from '../support/dynamodb';
import { call, startTestApi, type TestApi } from '../support/test-api';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run users -- ...args` in process, against the test API's users table, with `input` on standard input. */
async function users(args: string[], input: string | Readable = '', env: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new PassThrough().on('data', (chunk) => {
      append(String(chunk));
    });
  const code = await runUsersCommand(args, {
    stdin: typeof input === 'string' ? Readable.from([input]) : input,
    stdout: sink((text) => {
      stdout += text;
    }),
    stderr: sink((text) => {
      stderr += text;
    }),
    env: { DYNAMODB_ENDPOINT: testEndpoint(), USERS_TABLE: api.usersTable, AWS_REGION: 'us-east-1', ...env },
  });
  return { code, stdout, stderr };
}

/** A terminal that types `lines`, one a prompt. */
function terminal(...lines: string[]): Readable {
  const tty = Object.assign(new PassThrough(), { isTTY: true });
  tty.end(lines.map((line) => `${line}\n`).join(''));
  return tty;
}

const authenticateAs = (username: string, password: string) =>
  call(api, 'GET', '/_security/_authenticate', { auth: { username, password } });

describe('npm run users: the operator command', () => {
  it('add NAME --roles r1,r2 --password-stdin creates a native user the API authenticates', async () => {
    const run = await users(
      ['add', 'ops', '--roles', 'superuser,monitoring', '--full-name', 'Ops Team', '--password-stdin'],
      'ops-password\n',
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`created user [ops] in table ${api.usersTable}`);
    const me = await authenticateAs('ops', 'ops-password');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      username: 'ops',
      roles: ['superuser', 'monitoring'],
      full_name: 'Ops Team',
      authentication_realm: { name: 'default_native', type: 'native' },
    });
  });

  it('add prompts twice for the password on a terminal, without echo', async () => {
    const run = await users(['add', 'prompted', '--roles', 'superuser'], terminal('prompted-password', 'prompted-password'));
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Enter password for [prompted]: ');
    expect(run.stderr + run.stdout).not.toContain('prompted-password');
    expect((await authenticateAs('prompted', 'prompted-password')).status).toBe(200);
  });

  it('add refuses two different passwords typed at the prompt', async () => {
    const run = await users(['add', 'typo', '--roles', 'superuser'], terminal('first-password', 'other-password'));
    expect(run).toMatchObject({ code: 1, stderr: expect.stringContaining('error: the passwords do not match') });
  });

  it('add without a terminal and without --password-stdin says how to pass the password', async () => {
    const run = await users(['add', 'nopass', '--roles', 'superuser']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--password-stdin');
  });

  it.each([
    [['add', 'dup', '--roles', 'superuser', '--password-stdin'], 'dup-password', 'already exists'],
    [['add', 'elastic', '--roles', 'superuser', '--password-stdin'], 'elastic-password', 'user [elastic] is reserved'],
    [['add', 'short', '--roles', 'superuser', '--password-stdin'], 'abc', 'passwords must be at least [6] characters long'],
    [['add', ' padded', '--roles', 'superuser', '--password-stdin'], 'padded-password', 'User names must be at least 1'],
    [['add', 'noroles', '--password-stdin'], 'noroles-password', 'add needs --roles'],
  ])('%j refuses with one error line and exit code 1', async (args, password, message) => {
    await users(['add', 'dup', '--roles', 'superuser', '--password-stdin'], 'dup-password');
    const run = await users(args, password);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain(password);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('passwd changes the password: the old one fails on the next request', async () => {
    await users(['add', 'rotating', '--roles', 'superuser', '--password-stdin'], 'first-password');
    expect((await authenticateAs('rotating', 'first-password')).status).toBe(200);
    const run = await users(['passwd', 'rotating', '--password-stdin'], 'second-password\n');
    expect(run.code).toBe(0);
    expect((await authenticateAs('rotating', 'first-password')).status).toBe(401);
    expect((await authenticateAs('rotating', 'second-password')).status).toBe(200);
    expect((await users(['passwd', 'nobody', '--password-stdin'], 'second-password')).stderr).toContain(
      'user must exist in order to change password',
    );
  });

  it("LC-1: with REVOKE_ON_ACCOUNT_CHANGE, passwd and remove refuse the user's tokens, as the user API does", async () => {
    const revoking = { REVOKE_ON_ACCOUNT_CHANGE: 'true', TOKENS_TABLE: api.tokensTable };
    const bearerOf = async (username: string, password: string) => {
      const grant = await call(api, 'POST', '/_security/oauth2/token', {
        auth: { username, password },
        body: { grant_type: 'client_credentials' },
      });
      return { bearer: grant.body.access_token as string };
    };
    await users(['add', 'cli_revoked', '--roles', 'superuser', '--password-stdin'], 'cli-first-password');
    await users(['add', 'cli_removed', '--roles', 'superuser', '--password-stdin'], 'cli-first-password');
    const changed = await bearerOf('cli_revoked', 'cli-first-password');
    const removed = await bearerOf('cli_removed', 'cli-first-password');
    for (const auth of [changed, removed]) {
      expect((await call(api, 'GET', '/_security/_authenticate', { auth })).status).toBe(200);
    }

    expect((await users(['passwd', 'cli_revoked', '--password-stdin'], 'cli-second-password\n', revoking)).code).toBe(0);
    expect((await users(['remove', 'cli_removed'], '', revoking)).code).toBe(0);

    // The command writes its watermark by the real clock; the test API's stands still at its start, before it.
    for (const auth of [changed, removed]) {
      expect((await call(api, 'GET', '/_security/_authenticate', { auth })).status).toBe(401);
    }
    api.clock.time = Math.max(api.clock.time, Date.now()) + 1_000;
    const after = await bearerOf('cli_revoked', 'cli-second-password');
    expect((await call(api, 'GET', '/_security/_authenticate', { auth: after })).status).toBe(200);
  });

  it('list prints each native user with its roles', async () => {
    await users(['add', 'listed', '--roles', 'a,b', '--password-stdin'], 'listed-password');
    await call(api, 'PUT', '/_security/user/listed/_disable', {
      auth: { username: 'elastic', password: 'elastic-test-password' },
    });
    const run = await users(['list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('listed : a,b (disabled)\n');
    expect(run.stdout).not.toMatch(/password|\$2[aby]\$/);
  });

  it('remove deletes the user, whose credentials stop working at once', async () => {
    await users(['add', 'leaving', '--roles', 'superuser', '--password-stdin'], 'leaving-password');
    expect((await authenticateAs('leaving', 'leaving-password')).status).toBe(200);
    expect((await users(['remove', 'leaving'])).code).toBe(0);
    expect((await authenticateAs('leaving', 'leaving-password')).status).toBe(401);
    const again = await users(['remove', 'leaving']);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('user [leaving] does not exist') });
  });

  it('an unknown command or a missing table is one error line', async () => {
    expect((await users(['frobnicate'])).stderr).toMatch(/^error: unknown command \[frobnicate\]/);
    const missing = await users(['list', '--table', 'no-such-table']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: .*ResourceNotFoundException/);
  });

  it('runs as `npm run users` does (tsx infra/users-cli.ts), with the table and endpoint from flags', async () => {
    await users(['add', 'from-process', '--roles', 'superuser', '--password-stdin'], 'process-password');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [TSX, 'infra/users-cli.ts', 'list', '--table', api.usersTable, '--endpoint', testEndpoint(), '--region', 'us-east-1'],
      { cwd: ROOT, env: { ...process.env, USERS_TABLE: '', DYNAMODB_ENDPOINT: '' } },
    );
    expect(stdout).toContain('from-process : superuser\n');
  });
});
