import { errors } from '@elastic/elasticsearch';
import { DynamoDbUserStore } from '../../functions/store/dynamodb-user-store';
import { testClients } from '../support/dynamodb';
import { USERS } from '../support/file-realm';
import { esClient, startTestApi, type TestApi } from '../support/test-api';

/*
 * What Elasticsearch's own REST YAML tests check for these APIs (x-pack/plugin/src/yamlRestTest/.../test/
 * authenticate/, users/, token/ of elastic/elasticsearch), each behaviour written here as this project's
 * test, through the official client. Where a YAML test proves a login with `cluster.health` (an API this
 * service does not have), authenticate proves it instead.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const admin = () => esClient(api, USERS.elastic);
const as = (username: string, password: string) => esClient(api, { username, password });
const statusOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 200,
    (error: unknown) => (error instanceof errors.ResponseError ? error.statusCode : -1),
  );

describe('authenticate/10_basic.yml, 11_admin_user.yml', () => {
  it('authenticate/10_basic: a native superuser is shown with its roles and full name, by realm', async () => {
    await admin().security.putUser({
      username: 'authenticate_user',
      password: 'x-pack-test-password',
      roles: ['superuser'],
      full_name: 'Authenticate User',
    });
    const me = await as('authenticate_user', 'x-pack-test-password').security.authenticate();
    expect(me).toMatchObject({ username: 'authenticate_user', roles: ['superuser'], full_name: 'Authenticate User' });
    expect(me.authentication_type).toBe('realm');
  });

  it('authenticate/11_admin_user: enabled, no api_key; a client_credentials token authenticates as its owner', async () => {
    const me = await admin().security.authenticate();
    expect(me).toMatchObject({ authentication_type: 'realm', enabled: true });
    expect(me.api_key ?? null).toBeNull();
    const { access_token } = await admin().security.getToken({ grant_type: 'client_credentials' });
    const byToken = await esClient(api, { bearer: access_token }).security.authenticate();
    expect(byToken).toMatchObject({
      username: me.username,
      authentication_realm: { name: me.authentication_realm.name },
      authentication_type: 'token',
      enabled: true,
    });
    expect(byToken.api_key ?? null).toBeNull();
  });
});

describe('users/10_basic.yml, 15_overwrite_user.yml, 30_enable_disable.yml, 31_create_disabled.yml', () => {
  const joe = { username: 'joe', password: 's3krit-password' };
  const body = {
    roles: ['superuser'],
    full_name: 'Bazooka Joe',
    email: 'joe@bazooka.gum',
    metadata: { key1: 'val1', key2: 'val2' },
  };
  afterEach(() => admin().security.deleteUser({ username: 'joe' }, { ignore: [404] }));

  it('users/10_basic: put (created), log in, get back every field; the username may be repeated in the body', async () => {
    expect(await admin().security.putUser({ ...joe, ...body })).toEqual({ created: true });
    expect((await as(joe.username, joe.password).security.authenticate()).username).toBe('joe');
    const { joe: shown } = await admin().security.getUser({ username: 'joe' });
    expect(shown).toMatchObject({ username: 'joe', ...body });
    await admin().security.deleteUser({ username: 'joe' });
    const withName = await admin().transport.request({ method: 'PUT', path: '/_security/user/joe', body: { ...joe, ...body } });
    expect(withName).toEqual({ created: true });
  });

  it('users/10_basic: a different username in the body is a bad request', async () => {
    const status = await statusOf(
      admin().transport.request({
        method: 'PUT',
        path: '/_security/user/joe',
        body: { ...body, username: 'joey', password: joe.password },
      }),
    );
    expect(status).toBe(400);
  });

  it('users/10_basic: password_hash sets the password the hash is of; the old one stops working', async () => {
    await admin().security.putUser({ ...joe, roles: ['superuser'] });
    await admin().security.putUser({ username: 'bob', password: 'correct horse battery staple', roles: [] });
    const { hashPassword } = await import('../../functions/security/authc/passwords/bcrypt');
    await admin().security.putUser({
      username: 'joe',
      password_hash: await hashPassword('correct horse battery staple', 4),
      roles: ['superuser'],
    });
    expect((await as('joe', 'correct horse battery staple').security.authenticate()).username).toBe('joe');
    expect(await statusOf(as(joe.username, joe.password).security.authenticate())).toBe(401);
    await admin().security.deleteUser({ username: 'bob' });
  });

  it('users/15_overwrite_user: a second put answers created:false and replaces roles, fields and password', async () => {
    await admin().security.putUser({ ...joe, roles: ['superuser'] });
    expect((await admin().security.getUser({ username: 'joe' })).joe?.roles).toEqual(['superuser']);
    const replaced = await admin().security.putUser({
      username: 'joe',
      password: 's3krit-password2',
      ...body,
      roles: ['superuser', 'foo'],
    });
    expect(replaced).toEqual({ created: false });
    expect((await admin().security.getUser({ username: 'joe' })).joe).toMatchObject({ ...body, roles: ['superuser', 'foo'] });
    expect((await as('joe', 's3krit-password2').security.authenticate()).username).toBe('joe');
  });

  it('users/30_enable_disable: disable refuses the login, enable restores it; both are idempotent; not yourself', async () => {
    await admin().security.putUser({ ...joe, roles: ['superuser'] });
    const login = () => statusOf(as(joe.username, joe.password).security.authenticate());
    await admin().security.enableUser({ username: 'joe' });
    expect(await login()).toBe(200);
    await admin().security.disableUser({ username: 'joe' });
    expect(await login()).toBe(401);
    await admin().security.disableUser({ username: 'joe' });
    await admin().security.enableUser({ username: 'joe' });
    expect(await login()).toBe(200);
    const self = await as(joe.username, joe.password)
      .security.disableUser({ username: 'joe' })
      .catch((e: unknown) => e as errors.ResponseError);
    expect(JSON.stringify((self as errors.ResponseError).body)).toMatch(
      /users may not update the enabled status of their own account/,
    );
  });

  it('users/31_create_disabled: a user created with enabled:false cannot log in until enabled', async () => {
    await admin().security.putUser({ ...joe, roles: ['superuser'], enabled: false });
    expect(await statusOf(as(joe.username, joe.password).security.authenticate())).toBe(401);
    await admin().security.enableUser({ username: 'joe' });
    expect((await as(joe.username, joe.password).security.authenticate()).username).toBe('joe');
  });
});

describe('token/10_basic.yml', () => {
  const tokenUser = { username: 'token_user', password: 'x-pack-test-password' };
  beforeAll(async () => {
    await admin().security.putUser({ ...tokenUser, roles: ['superuser'], full_name: 'Token User' });
  });

  const grant = () => admin().security.getToken({ grant_type: 'password', ...tokenUser });
  const whoAmI = (token: string) => esClient(api, { bearer: token }).security.authenticate();

  it('token/10_basic: get and use a token, invalidate it, and it no longer authenticates', async () => {
    const token = await grant();
    expect(token.type).toBe('Bearer');
    expect(token.access_token).toBeTruthy();
    expect(token.expires_in).toBeGreaterThan(0);
    expect(token.refresh_token).toBeTruthy();
    expect(await whoAmI(token.access_token)).toMatchObject({
      username: 'token_user',
      roles: ['superuser'],
      full_name: 'Token User',
      authentication_type: 'token',
    });
    const invalidated = await admin().security.invalidateToken({ token: token.access_token });
    expect(invalidated).toMatchObject({ invalidated_tokens: 1, previously_invalidated_tokens: 0, error_count: 0 });
    expect(await statusOf(whoAmI(token.access_token))).toBe(401);
  });

  it.each([
    ['a user', { username: 'token_user' }],
    ['a realm', { realm_name: 'default_native' }],
    ['a user in a realm', { username: 'token_user', realm_name: 'default_native' }],
  ])("token/10_basic: invalidating %s's tokens counts both halves, and the token stops working", async (_case, by) => {
    const token = await grant();
    const invalidated = await admin().security.invalidateToken(by);
    expect(invalidated.invalidated_tokens).toBeGreaterThanOrEqual(2);
    expect(invalidated.error_count).toBe(0);
    expect(await statusOf(whoAmI(token.access_token))).toBe(401);
  });
});

describe('change_password/12_custom_hash.yml', () => {
  const testUser = { username: 'test_user', password: 's3cr3t-password' };
  const preHashed1 = { username: 'pre_hashed_user1', password: 'new-test-password' };
  beforeEach(async () => {
    await admin().security.putUser({ ...testUser, roles: ['superuser'] });
    await admin().security.putUser({ ...preHashed1, roles: ['superuser'] });
  });
  afterEach(async () => {
    for (const username of ['test_user', 'pre_hashed_user1', 'pre_hashed_user2']) {
      await admin().security.deleteUser({ username }, { ignore: [404] });
    }
  });
  const logsIn = async (username: string, password: string) => (await as(username, password).security.authenticate()).username;

  it('12_custom_hash: users created with a PBKDF2 hash (16-byte salt, 512-bit key) log in; change password to another (8-byte salt, 128-bit key)', async () => {
    const hashes = as(testUser.username, testUser.password).security;
    await hashes.putUser({
      username: 'pre_hashed_user2',
      password_hash:
        '{PBKDF2}50000$SGRCCCwQ9vz105opttTJAQ==$9FVXEWMXeiwlFTwbvkiQ6h0vN3REnWvukzWlle7ql8QosHdusRhFMBWhRjM7CLFZzq/owGhFh5BmrXRkO6IHZA==',
      roles: ['superuser'],
    });
    expect(await logsIn('pre_hashed_user2', 'pre_hashed_user2-password')).toBe('pre_hashed_user2');
    await admin().security.changePassword({
      username: 'pre_hashed_user2',
      password_hash: '{PBKDF2}10000$1v0C1l5iSn0=$lPJcWRh+eOF/8ti+NOgUTQ==',
    });
    expect(await logsIn('pre_hashed_user2', 'pre_hashed_user2-password2')).toBe('pre_hashed_user2');
  });

  it('12_custom_hash: a user changes its own password to a PBKDF2 hash, then back to its stored bcrypt hash', async () => {
    // The YAML test reads the stored hash from the .security index; here from the users table.
    const store = new DynamoDbUserStore({ client: testClients().documents, tableName: api.usersTable });
    const original = (await store.get('pre_hashed_user1'))?.passwordHash as string;
    await as(preHashed1.username, preHashed1.password).security.changePassword({
      username: 'pre_hashed_user1',
      password_hash: '{PBKDF2}10000$7M5rzp0qLpIP3qecOmUl2TTbr4yQ/sTmBMkQ2EtFrYk=$kElwxM4tFXU2eElGaqgOWVg95uAVUgVrkl45Zpzr+ZU=',
    });
    expect(await logsIn('pre_hashed_user1', 'new-test-password2')).toBe('pre_hashed_user1');
    await as('pre_hashed_user1', 'new-test-password2').security.changePassword({
      username: 'pre_hashed_user1',
      password_hash: original,
    });
    expect(await logsIn('pre_hashed_user1', 'new-test-password')).toBe('pre_hashed_user1');
  });

  it('12_custom_hash: clear text given as a hash is refused by put user and by change password', async () => {
    // The YAML's pattern is of an older text; this is TransportChangePasswordAction's and PutUserRequestBuilder's current one.
    const refusal =
      /^illegal_argument_exception\n\tRoot causes:\n\t\tillegal_argument_exception: The provided password hash is not a hash or it could not be resolved to a supported hash algorithm\./;
    const client = as(testUser.username, testUser.password).security;
    await expect(
      client.putUser({ username: 'clear_text_hash_user1', password_hash: 'som3-1ong-passw0rd', roles: ['superuser'] }),
    ).rejects.toThrow(refusal);
    await expect(client.changePassword({ username: 'test_user', password_hash: 'som3-1ong-passw0rd' })).rejects.toThrow(refusal);
  });
});
