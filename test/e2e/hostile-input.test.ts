import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../../functions/security/authc/passwords/bcrypt';
import { USERS } from '../support/file-realm';
import { captureLog } from '../support/log-capture';
import { esError, putNativeUser } from '../support/native-users';
import { recordSecret } from '../support/secrets-audit';
import { authorizationHeader, call, passwordGrant, startTestApi, type TestApi } from '../support/test-api';

/** Users of a config directory whose roles.yml holds the shapes a naive reader misreads. */
const MALLORY = { username: 'mallory', password: 'mallory-password' };
const ISSUER = { username: 'issuer', password: 'issuer-password' };
for (const user of [MALLORY, ISSUER]) recordSecret('password', user.password);

/** A bcrypt cost Elasticsearch's Hasher has no variant for: each login would cost hours, so the line is skipped. */
const UNBOUNDED_HASH = '$2a$31$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';

async function hostileConfigDirectory(): Promise<string> {
  const directory = mkdtempSync(join(tmpdir(), 'es-config-hostile-'));
  const users = await Promise.all([MALLORY, ISSUER].map(async (u) => `${u.username}:${await hashPassword(u.password, 4)}`));
  // Line 3: a hash that cannot be resolved, skipped with a warning that names the line, never the hash.
  writeFileSync(join(directory, 'users'), `${users.join('\n')}\nlegacy:${UNBOUNDED_HASH}\n`);
  writeFileSync(join(directory, 'users_roles'), 'reader:mallory\nblock_reader:mallory\ntoken_manager:issuer\n');
  writeFileSync(
    join(directory, 'roles.yml'),
    [
      'reader: {cluster: [monitor], metadata: {cluster: [all]}}',
      'block_reader:',
      '  cluster: [monitor]',
      '  metadata:',
      '    cluster: [all]',
      'token_manager: {cluster: [manage_token]}',
      'typo: {cluster: [manage_tokens]}',
      '',
    ].join('\n'),
  );
  return directory;
}

let api: TestApi;
let hostile: TestApi;
let startLog: string;

beforeAll(async () => {
  api = await startTestApi();
  const log = captureLog();
  hostile = await startTestApi({ ES_PATH_CONF: await hostileConfigDirectory() });
  startLog = log.lines();
});
afterAll(async () => {
  await api.close();
  await hostile.close();
});

describe('what the config directory had to skip is logged once at start', () => {
  it('the users line by number without its hash, and the invalid role by name', () => {
    expect(startLog.match(/invalid entry in users file \[[^\]]*\], line \[3\]/g)).toHaveLength(1);
    expect(startLog).not.toContain(UNBOUNDED_HASH.slice(7));
    expect(startLog.match(/invalid role definition \[typo\] in roles file/g)).toHaveLength(1);
  });
});

describe('roles.yml grants only the top-level cluster of a role', () => {
  it('a role with metadata.cluster [all] (flow and block form) cannot create a superuser', async () => {
    const response = await call(hostile, 'PUT', '/_security/user/escalated', {
      auth: MALLORY,
      body: { password: 'escalated-password', roles: ['superuser'] },
    });
    expect(response.status).toBe(403);
    expect(response.body.error.reason).toContain('with effective roles [reader,block_reader]');
  });

  it("the README's flow form token_manager: {cluster: [manage_token]} grants manage_token", async () => {
    const pair = await passwordGrant(hostile, ISSUER, ISSUER);
    expect(pair.authentication).toMatchObject({ username: 'issuer', roles: ['token_manager'] });
  });
});

/**
 * A request written on the socket with each header line exactly as given, repeats and case included: fetch
 * would merge repeated names into one line, and Node's client merges names that differ only in case.
 */
function rawCall(path: string, headers: [string, string][], method = 'GET'): Promise<{ status: number; body: unknown }> {
  const { hostname, port } = new URL(api.url);
  // HTTP/1.0: the answer comes whole, not chunked, and the connection closes after it.
  const lines = [`${method} ${path} HTTP/1.0`, `Host: ${hostname}`, 'Content-Length: 0'];
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect(Number(port), hostname, () => socket.write(`${lines.join('\r\n')}\r\n\r\n`));
    socket.on('data', (chunk) => {
      text += String(chunk);
    });
    socket.on('error', reject);
    socket.on('end', () => {
      const [head = '', body = ''] = text.split('\r\n\r\n');
      try {
        resolve({ status: Number(head.split(' ')[1]), body: JSON.parse(body) });
      } catch (error) {
        reject(new Error(`not a JSON answer: ${text}`, { cause: error }));
      }
    });
  });
}

describe('single-valued headers given twice (RestController.copyRestHeaders)', () => {
  const asElastic = authorizationHeader(USERS.elastic).authorization as string;
  const asReader = authorizationHeader(USERS.reader).authorization as string;

  it('two different Authorization headers are a 400, not the last one winning', async () => {
    const response = await rawCall('/_security/_authenticate', [
      ['Authorization', asReader],
      ['Authorization', asElastic],
    ]);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(
      esError('illegal_argument_exception', 'multiple values for single-valued header [Authorization].', 400),
    );
  });

  it('the names are case-insensitive, and the run-as header is single-valued too', async () => {
    const mixedCase = await rawCall('/_security/_authenticate', [
      ['authorization', asReader],
      ['AUTHORIZATION', asElastic],
    ]);
    expect(mixedCase.status).toBe(400);
    const runAs = await rawCall('/_security/_authenticate', [
      ['Authorization', asElastic],
      ['es-security-runas-user', 'a'],
      ['es-security-runas-user', 'b'],
    ]);
    expect(runAs.body).toEqual(
      esError('illegal_argument_exception', 'multiple values for single-valued header [es-security-runas-user].', 400),
    );
  });

  it('the same value twice is one value, as in Elasticsearch (distinct values are counted)', async () => {
    const response = await rawCall('/_security/_authenticate', [
      ['Authorization', asElastic],
      ['Authorization', asElastic],
    ]);
    expect(response.status).toBe(200);
  });

  it('Content-Type twice is a media_type_header_exception (RestRequest.parseContentType)', async () => {
    const response = await rawCall(
      '/_security/oauth2/token',
      [
        ['Authorization', asElastic],
        ['Content-Type', 'application/json'],
        ['Content-Type', 'application/json'],
      ],
      'POST',
    );
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: expect.objectContaining({
        type: 'media_type_header_exception',
        reason: 'Invalid media-type value on headers [Content-Type]',
        caused_by: {
          type: 'illegal_argument_exception',
          reason: 'Incorrect header [Content-Type]. Only one value should be provided',
        },
      }),
      status: 400,
    });
  });
});

describe('/_security/user/_password is change password of the caller (RestChangePasswordAction)', () => {
  it('POST /_security/user/_password with put-user fields creates no user named _password', async () => {
    const response = await call(api, 'POST', '/_security/user/_password', {
      auth: USERS.elastic,
      body: { password: 'superuser-password', roles: ['superuser'] },
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(
      esError('parse_exception', 'failed to parse change password request. unexpected field [roles]', 400),
    );
    expect((await call(api, 'GET', '/_security/user/_password', { auth: USERS.elastic })).status).toBe(404);
  });

  it('PUT|POST /_security/user/_password changes the caller’s own password, without manage_security', async () => {
    const bob = { username: 'bob-self', password: 'bob-old-password' };
    recordSecret('password', 'bob-new-password');
    recordSecret('password', 'bob-third-password');
    await putNativeUser(api, { ...bob, roles: [] });
    const put = await call(api, 'PUT', '/_security/user/_password', { auth: bob, body: { password: 'bob-new-password' } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({});
    expect((await call(api, 'GET', '/_security/_authenticate', { auth: bob })).status).toBe(401);
    const renewed = { username: bob.username, password: 'bob-new-password' };
    expect((await call(api, 'GET', '/_security/_authenticate', { auth: renewed })).status).toBe(200);
    // And by name: POST /_security/user/{self}/_password (RBACEngine.checkSameUserPermissions).
    const byName = await call(api, 'POST', `/_security/user/${bob.username}/_password`, {
      auth: renewed,
      body: { password: 'bob-third-password' },
    });
    expect(byName.status).toBe(200);
  });

  it('only one’s own password: another user’s still needs manage_security', async () => {
    const carol = { username: 'carol-other', password: 'carol-password' };
    await putNativeUser(api, { ...carol, roles: [] });
    await putNativeUser(api, { username: 'dave-target', password: 'dave-password', roles: [] });
    const response = await call(api, 'POST', '/_security/user/dave-target/_password', {
      auth: carol,
      body: { password: 'dave-hijacked' },
    });
    expect(response.status).toBe(403);
  });

  it('a file user cannot change a native user’s password of the same name (checkChangePasswordAction)', async () => {
    await putNativeUser(api, { username: USERS.reader.username, password: 'native-reader-password', roles: [] });
    const response = await call(api, 'POST', `/_security/user/${USERS.reader.username}/_password`, {
      auth: USERS.reader,
      body: { password: 'file-user-hijack' },
    });
    expect(response.status).toBe(403);
  });

  it('with an access token, changing one’s own password still needs manage_security, as in Elasticsearch', async () => {
    const erin = { username: 'erin-token', password: 'erin-password' };
    await putNativeUser(api, { ...erin, roles: [] });
    const grant = await passwordGrant(api, erin);
    const response = await call(api, 'POST', '/_security/user/_password', {
      auth: { bearer: grant.access_token },
      body: { password: 'erin-new-password' },
    });
    expect(response.status).toBe(403);
  });
});

describe('cluster privileges are resolved as ClusterPrivilegeResolver does', () => {
  it('an unknown cluster privilege is refused with Elasticsearch’s message (RoleDescriptorRequestValidator)', async () => {
    const response = await call(api, 'PUT', '/_security/role/r', { auth: USERS.elastic, body: { cluster: ['no_such_priv'] } });
    expect(response.status).toBe(400);
    expect(response.body.error.type).toBe('action_request_validation_exception');
    expect(response.body.error.reason).toMatch(
      /^Validation Failed: 1: unknown cluster privilege \[no_such_priv\]\. a privilege must be either one of the predefined cluster privilege names \[manage_own_api_key,manage_data_stream_global_retention,monitor_data_stream_global_retention,none,cancel_task,.*,manage_security,monitor,manage,all\] or a pattern over one of the available cluster actions;$/,
    );
    expect((await call(api, 'GET', '/_security/role/r', { auth: USERS.elastic })).status).toBe(404);
  });

  it('an action pattern is a privilege, and grants the actions it matches', async () => {
    const role = { cluster: ['cluster:admin/xpack/security/token/*'] };
    expect((await call(api, 'PUT', '/_security/role/token_pattern', { auth: USERS.elastic, body: role })).status).toBe(200);
    const user = { username: 'pattern-user', password: 'pattern-password' };
    await putNativeUser(api, { ...user, roles: ['token_pattern'] });
    expect((await passwordGrant(api, user, user)).access_token).toEqual(expect.any(String));
    const putUser = await call(api, 'PUT', '/_security/user/x', { auth: user, body: { password: 'x-password', roles: [] } });
    expect(putUser.status).toBe(403);
  });
});

/** `{"metadata":{"a":{"a":...}}}`, `depth` levels of objects in all, the body included. */
function nested(depth: number): string {
  return `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;
}

describe('bodies the store cannot hold are the caller’s error, checked before any write', () => {
  it('metadata 10,000 deep is a 400, not a 503, for a user and for a role', async () => {
    const deep = nested(10_000);
    const user = await call(api, 'PUT', '/_security/user/deep', {
      auth: USERS.elastic,
      rawBody: `{"password":"deep-password","roles":[],"metadata":${deep}}`,
    });
    expect(user.status).toBe(400);
    expect(user.body.error.type).toBe('illegal_argument_exception');
    expect(user.body.error.reason).toMatch(/nested more than \[32\] levels/);
    const role = await call(api, 'PUT', '/_security/role/deep', { auth: USERS.elastic, rawBody: `{"metadata":${deep}}` });
    expect(role.status).toBe(400);
    expect((await call(api, 'GET', '/_security/user/deep', { auth: USERS.elastic })).status).toBe(404);
    expect((await call(api, 'GET', '/_security/role/deep', { auth: USERS.elastic })).status).toBe(404);
  });

  it('a body 32 levels deep (metadata 31), the most accepted (DynamoDB’s document limit), is stored and read back whole', async () => {
    const metadata = nested(31);
    const response = await call(api, 'PUT', '/_security/user/deepest', {
      auth: USERS.elastic,
      rawBody: `{"password":"deepest-password","roles":[],"metadata":${metadata}}`,
    });
    expect(response.status).toBe(200);
    const read = await call(api, 'GET', '/_security/user/deepest', { auth: USERS.elastic });
    expect(read.body.deepest.metadata).toEqual(JSON.parse(metadata));
    const tooDeep = await call(api, 'PUT', '/_security/user/deepest', {
      auth: USERS.elastic,
      rawBody: `{"password":"deepest-password","roles":[],"metadata":${nested(32)}}`,
    });
    expect(tooDeep.status).toBe(400);
  });

  it.each([['1e400'], ['-1e400'], ['12345678901234567890']])(
    'the number %s is refused, not stored as null or rounded',
    async (n) => {
      const response = await call(api, 'PUT', '/_security/user/numbers', {
        auth: USERS.elastic,
        rawBody: `{"password":"numbers-password","roles":[],"metadata":{"n":${n}}}`,
      });
      expect(response.status).toBe(400);
      expect(response.body).toEqual(
        esError(
          'illegal_argument_exception',
          'the number at [metadata.n] cannot be stored exactly: numbers must be finite, whole numbers between -(2^53-1) and 2^53-1, and others of a magnitude from 1e-130 to 1e126',
          400,
        ),
      );
      const role = await call(api, 'PUT', '/_security/role/numbers', { auth: USERS.elastic, rawBody: `{"metadata":{"n":${n}}}` });
      expect(role.status).toBe(400);
    },
  );

  it('numbers JSON carries exactly are kept as sent', async () => {
    const metadata = { small: 1.5, big: 9007199254740991, negative: -42 };
    const response = await call(api, 'PUT', '/_security/role/exact', { auth: USERS.elastic, body: { metadata } });
    expect(response.status).toBe(200);
    const read = await call(api, 'GET', '/_security/role/exact', { auth: USERS.elastic });
    expect(read.body.exact.metadata).toEqual(metadata);
  });
});

describe('validation order', () => {
  it('an unknown privilege is listed after the name, as PutRoleRequest.validate orders them', async () => {
    const response = await call(api, 'PUT', '/_security/role/superuser', {
      auth: USERS.elastic,
      body: { cluster: ['nope'], metadata: { _x: 1 } },
    });
    expect(response.body.error.reason).toMatch(
      /^Validation Failed: 1: Role \[superuser\] is reserved and may not be used\.;2: unknown cluster privilege \[nope\]/,
    );
  });
});
