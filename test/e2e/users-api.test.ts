import { hashPassword } from '../../functions/security/authc/passwords/bcrypt';
import { USERS } from '../support/file-realm';
import { esError, putNativeUser, validationError } from '../support/native-users';
import { call, startTestApi, type TestApi } from '../support/test-api';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const USER = '/_security/user';
const INVALID_USER_NAME =
  'User names must be at least 1 and no more than 507 characters. They can contain alphanumeric characters (a-z, A-Z, 0-9), ' +
  'spaces, punctuation, and printable symbols in the Basic Latin (ASCII) block. Leading or trailing whitespace is not allowed.';
const authenticateAs = (username: string, password: string) =>
  call(api, 'GET', '/_security/_authenticate', { auth: { username, password } });

describe('PUT|POST /_security/user/{username}', () => {
  it('creates a user ({"created":true}), then updates it ({"created":false}); POST does the same', async () => {
    const body = {
      password: 'l0ng-r4nd0m-p@ssw0rd',
      roles: ['admin', 'other_role1'],
      full_name: 'Jack Nicholson',
      email: 'jacknich@example.com',
      metadata: { intelligence: 7 },
    };
    const created = await call(api, 'PUT', `${USER}/jacknich`, { auth: USERS.elastic, body });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ created: true });
    expect(created.headers.get('x-elastic-product')).toBe('Elasticsearch');
    const updated = await call(api, 'POST', `${USER}/jacknich`, { auth: USERS.elastic, body });
    expect(updated.body).toEqual({ created: false });
  });

  it('an update without a password keeps the password and replaces the rest (enabled back to its default)', async () => {
    await putNativeUser(api, { username: 'keeper', password: 'keeper-password', roles: ['a'], full_name: 'Keeper' });
    const response = await call(api, 'PUT', `${USER}/keeper`, { auth: USERS.elastic, body: { roles: ['b'] } });
    expect(response.body).toEqual({ created: false });
    const me = await authenticateAs('keeper', 'keeper-password');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ roles: ['b'], full_name: null, enabled: true });
  });

  it('accepts password_hash, a bcrypt hash computed by the caller', async () => {
    // As an Elasticsearch users file could hold it (cost 4 keeps the test fast).
    const hash = await hashPassword('hashed-password', 4);
    await call(api, 'PUT', `${USER}/hashed`, { auth: USERS.elastic, body: { password_hash: hash, roles: [] } });
    expect((await authenticateAs('hashed', 'hashed-password')).status).toBe(200);
  });

  it('takes any valid name, percent-encoded in the path (spaces, @)', async () => {
    await putNativeUser(api, { username: 'john doe@example.com', password: 'john-password' });
    const got = await call(api, 'GET', `${USER}/john%20doe%40example.com`, { auth: USERS.elastic });
    expect(Object.keys(got.body)).toEqual(['john doe@example.com']);
    expect((await authenticateAs('john doe@example.com', 'john-password')).status).toBe(200);
  });

  it('creating without a password is refused', async () => {
    const response = await call(api, 'PUT', `${USER}/no-password`, { auth: USERS.elastic, body: { roles: [] } });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(validationError('password must be specified unless you are updating an existing user'));
  });

  it('a password shorter than 6 characters is refused, and not echoed', async () => {
    const response = await call(api, 'PUT', `${USER}/shorty`, { auth: USERS.elastic, body: { password: 'abc12', roles: [] } });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(validationError('passwords must be at least [6] characters long'));
    expect(response.text).not.toContain('abc12');
  });

  it('the reserved elastic user cannot be put', async () => {
    const response = await call(api, 'PUT', `${USER}/elastic`, {
      auth: USERS.elastic,
      body: { password: 'new-elastic-password', roles: ['superuser'] },
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(validationError('user [elastic] is reserved and only the password can be changed'));
  });

  it('a username that is not valid is refused, with the invalid role names', async () => {
    const response = await call(api, 'PUT', `${USER}/%20leading-space`, {
      auth: USERS.elastic,
      body: { password: 'valid-password', roles: ['ok', 'trailing '] },
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(validationError(INVALID_USER_NAME, INVALID_USER_NAME.replace(/^User/, 'Role')));
  });

  it('roles are required', async () => {
    const response = await call(api, 'PUT', `${USER}/no-roles`, { auth: USERS.elastic, body: { password: 'valid-password' } });
    expect(response.body).toEqual(validationError('roles are missing'));
  });

  it.each([
    [
      'an unknown field',
      { password: 'valid-password', roles: [], nick: 'x' },
      'failed to parse add user request. unexpected field [nick]',
    ],
    [
      'a wrong type',
      { password: 'valid-password', roles: [], enabled: 'no' },
      'expected field [enabled] to be of type boolean, but found [VALUE_STRING] instead',
    ],
  ])('%s is a 400 parse_exception', async (_case, body, reason) => {
    const response = await call(api, 'PUT', `${USER}/parsed`, { auth: USERS.elastic, body });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(esError('parse_exception', reason, 400));
  });

  it('ER-4, ER-5: a missing or broken body is a 400 parse_exception', async () => {
    const missing = await call(api, 'PUT', `${USER}/nobody`, { auth: USERS.elastic });
    expect(missing.body).toEqual(esError('parse_exception', 'request body is required', 400));
    const broken = await call(api, 'PUT', `${USER}/nobody`, { auth: USERS.elastic, rawBody: '{"password":"leak-me-123"' });
    expect(broken.status).toBe(400);
    expect(broken.text).not.toContain('leak-me-123');
  });

  it('a body that names a field twice is refused, not read as its last value (found by the fuzz)', async () => {
    const response = await call(api, 'PUT', `${USER}/twice`, {
      auth: USERS.elastic,
      rawBody: '{"password":"first-password","roles":[],"password":"second-password"}',
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(esError('x_content_parse_exception', "[1:41] Duplicate field 'password'", 400));
    expect(response.text).not.toMatch(/first-password|second-password/);
    expect((await call(api, 'GET', `${USER}/twice`, { auth: USERS.elastic })).status).toBe(404);
  });

  it('ER-10: a caller without manage_security gets 403 naming the put action', async () => {
    for (const caller of [USERS.reader, USERS.tokenClient]) {
      const response = await call(api, 'PUT', `${USER}/intruder`, {
        auth: caller,
        body: { password: 'valid-password', roles: [] },
      });
      expect(response.status).toBe(403);
      expect(response.body.error.reason).toMatch(
        /^action \[cluster:admin\/xpack\/security\/user\/put\] is unauthorized for user \[\w+\] with effective roles \[.*\], this action is granted by the cluster privileges \[manage_security,all\]$/,
      );
    }
  });

  it('ER-8: an anonymous caller gets 401', async () => {
    const response = await call(api, 'PUT', `${USER}/intruder`, { body: { password: 'valid-password', roles: [] } });
    expect(response.status).toBe(401);
    expect(response.body.error.reason).toBe('missing authentication credentials for REST request [/_security/user/intruder]');
  });

  it('a file-realm superuser may manage native users', async () => {
    const response = await call(api, 'PUT', `${USER}/by-file-admin`, {
      auth: USERS.admin,
      body: { password: 'valid-password', roles: [] },
    });
    expect(response.body).toEqual({ created: true });
  });
});

describe('GET /_security/user[/{username}]', () => {
  beforeAll(async () => {
    await putNativeUser(api, { username: 'getme', password: 'getme-password', roles: ['r1'], full_name: 'Get Me' });
  });

  it('returns {name: user} with the keys in order, and never a password or hash', async () => {
    const response = await call(api, 'GET', `${USER}/getme`, { auth: USERS.elastic });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      getme: { username: 'getme', roles: ['r1'], full_name: 'Get Me', email: null, metadata: {}, enabled: true },
    });
    expect(Object.keys(response.body.getme)).toEqual(['username', 'roles', 'full_name', 'email', 'metadata', 'enabled']);
    expect(response.text).not.toMatch(/password|\$2[aby]\$/);
  });

  it('404 with {} when the user does not exist', async () => {
    const response = await call(api, 'GET', `${USER}/nobody-at-all`, { auth: USERS.elastic });
    expect(response.status).toBe(404);
    expect(response.body).toEqual({});
  });

  it('reads a comma-separated list, leaving out the unknown names', async () => {
    const response = await call(api, 'GET', `${USER}/getme,nobody-at-all,elastic`, { auth: USERS.elastic });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(['elastic', 'getme']);
  });

  it('shows the reserved elastic user as Elasticsearch does', async () => {
    const response = await call(api, 'GET', `${USER}/elastic`, { auth: USERS.elastic });
    expect(response.body).toEqual({
      elastic: {
        username: 'elastic',
        roles: ['superuser'],
        full_name: null,
        email: null,
        metadata: { _reserved: true },
        enabled: true,
      },
    });
  });

  it('without a name lists elastic and every native user, not the file users', async () => {
    const response = await call(api, 'GET', USER, { auth: USERS.elastic });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body)).toEqual(expect.arrayContaining(['elastic', 'getme', 'jacknich']));
    expect(Object.keys(response.body)).not.toContain('token_client');
  });

  it('ER-10: needs manage_security', async () => {
    const response = await call(api, 'GET', USER, { auth: USERS.reader });
    expect(response.status).toBe(403);
    expect(response.body.error.reason).toContain('action [cluster:admin/xpack/security/user/get]');
  });
});

describe('DELETE /_security/user/{username}', () => {
  it('{"found":true}, then 404 {"found":false}', async () => {
    await putNativeUser(api, { username: 'deleteme', password: 'deleteme-password' });
    const first = await call(api, 'DELETE', `${USER}/deleteme`, { auth: USERS.elastic });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ found: true });
    const second = await call(api, 'DELETE', `${USER}/deleteme`, { auth: USERS.elastic });
    expect(second.status).toBe(404);
    expect(second.body).toEqual({ found: false });
  });

  it('the reserved elastic user cannot be deleted', async () => {
    const response = await call(api, 'DELETE', `${USER}/elastic`, { auth: USERS.elastic });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(esError('illegal_argument_exception', 'user [elastic] is reserved and cannot be deleted', 400));
  });

  it('ER-10: needs manage_security', async () => {
    const response = await call(api, 'DELETE', `${USER}/getme`, { auth: USERS.tokenClient });
    expect(response.status).toBe(403);
    expect(response.body.error.reason).toContain('action [cluster:admin/xpack/security/user/delete]');
  });
});

describe('POST /_security/user/{username}/_password', () => {
  it('{} and the new password replaces the old one at once', async () => {
    await putNativeUser(api, { username: 'changer', password: 'old-password' });
    const response = await call(api, 'POST', `${USER}/changer/_password`, {
      auth: USERS.elastic,
      body: { password: 'new-password' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({});
    expect((await authenticateAs('changer', 'old-password')).status).toBe(401);
    expect((await authenticateAs('changer', 'new-password')).status).toBe(200);
  });

  it('an unknown user is refused', async () => {
    const response = await call(api, 'POST', `${USER}/nobody-at-all/_password`, {
      auth: USERS.elastic,
      body: { password: 'new-password' },
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(validationError('user must exist in order to change password'));
  });

  it("a file-realm user is refused with Elasticsearch's wording", async () => {
    const response = await call(api, 'POST', `${USER}/token_client/_password`, {
      auth: USERS.elastic,
      body: { password: 'new-password' },
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(
      validationError('user [token_client] is a(n)file/default_file user and cannot be managed via this API.'),
    );
  });

  it("elastic's password is the deployment's and cannot be changed here", async () => {
    const response = await call(api, 'POST', `${USER}/elastic/_password`, {
      auth: USERS.elastic,
      body: { password: 'new-password' },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.type).toBe('illegal_argument_exception');
    expect((await authenticateAs('elastic', USERS.elastic.password)).status).toBe(200);
  });

  it.each([
    [{}, validationError('password is missing')],
    [{ password: '12345' }, validationError('passwords must be at least [6] characters long')],
  ])('refuses %j', async (body, expected) => {
    const response = await call(api, 'POST', `${USER}/changer/_password`, { auth: USERS.elastic, body });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(expected);
  });

  it('ER-10: needs manage_security', async () => {
    const response = await call(api, 'PUT', `${USER}/changer/_password`, {
      auth: USERS.reader,
      body: { password: 'new-password' },
    });
    expect(response.status).toBe(403);
    expect(response.body.error.reason).toContain('action [cluster:admin/xpack/security/user/change_password]');
  });
});

describe('PUT /_security/user/{username}/_disable and _enable', () => {
  it('{}; a disabled user cannot authenticate until enabled again', async () => {
    await putNativeUser(api, { username: 'toggled', password: 'toggled-password' });
    const disabled = await call(api, 'PUT', `${USER}/toggled/_disable`, { auth: USERS.elastic });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toEqual({});
    expect((await call(api, 'GET', `${USER}/toggled`, { auth: USERS.elastic })).body.toggled.enabled).toBe(false);
    expect((await authenticateAs('toggled', 'toggled-password')).status).toBe(401);
    expect((await call(api, 'POST', `${USER}/toggled/_enable`, { auth: USERS.elastic })).body).toEqual({});
    expect((await authenticateAs('toggled', 'toggled-password')).status).toBe(200);
  });

  it('an unknown user is refused', async () => {
    const response = await call(api, 'PUT', `${USER}/nobody-at-all/_disable`, { auth: USERS.elastic });
    expect(response.status).toBe(400);
    expect(response.body.error.reason).toBe('Validation Failed: 1: only existing users can be disabled;');
  });

  it('a native user may not disable itself', async () => {
    await putNativeUser(api, { username: 'self-admin', password: 'self-admin-password', roles: ['superuser'] });
    const response = await call(api, 'PUT', `${USER}/self-admin/_disable`, {
      auth: { username: 'self-admin', password: 'self-admin-password' },
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(
      esError('illegal_argument_exception', 'users may not update the enabled status of their own account', 400),
    );
  });

  it('elastic cannot be disabled', async () => {
    const response = await call(api, 'PUT', `${USER}/elastic/_disable`, { auth: USERS.admin });
    expect(response.status).toBe(400);
    expect(response.body.error.type).toBe('illegal_argument_exception');
  });

  it('ER-10: needs manage_security', async () => {
    const response = await call(api, 'PUT', `${USER}/toggled/_disable`, { auth: USERS.reader });
    expect(response.status).toBe(403);
    expect(response.body.error.reason).toContain('action [cluster:admin/xpack/security/user/set_enabled]');
  });
});
