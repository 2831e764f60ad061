import { USERS } from '../support/file-realm';
import { putNativeUser } from '../support/native-users';
import { call, passwordGrant, startTestApi, type TestApi } from '../support/test-api';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const AUTHENTICATE = '/_security/_authenticate';
const TOKEN = '/_security/oauth2/token';
const authenticateAs = (username: string, password: string) => call(api, 'GET', AUTHENTICATE, { auth: { username, password } });

describe('the realm chain: reserved, then default_file, then default_native', () => {
  it('a native user authenticates in default_native (type native)', async () => {
    await putNativeUser(api, { username: 'native-alice', password: 'alice-password', roles: ['r1'], full_name: 'Alice' });
    const response = await authenticateAs('native-alice', 'alice-password');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      username: 'native-alice',
      roles: ['r1'],
      full_name: 'Alice',
      email: null,
      metadata: {},
      enabled: true,
      authentication_realm: { name: 'default_native', type: 'native' },
      lookup_realm: { name: 'default_native', type: 'native' },
      authentication_type: 'realm',
    });
  });

  it('the file realm comes before the native realm: for a name in both, each password authenticates in its own realm', async () => {
    await putNativeUser(api, { username: USERS.reader.username, password: 'native-reader-password', roles: ['native_only'] });
    const asFile = await authenticateAs(USERS.reader.username, USERS.reader.password);
    expect(asFile.body.authentication_realm).toEqual({ name: 'default_file', type: 'file' });
    expect(asFile.body.roles).toEqual(['monitoring']);
    const asNative = await authenticateAs(USERS.reader.username, 'native-reader-password');
    expect(asNative.body.authentication_realm).toEqual({ name: 'default_native', type: 'native' });
    expect(asNative.body.roles).toEqual(['native_only']);
  });

  it('the reserved realm comes first: elastic is never looked up further, whatever the password', async () => {
    const response = await authenticateAs('elastic', 'not-the-elastic-password');
    expect(response.status).toBe(401);
    expect(response.body.error.reason).toBe(`unable to authenticate user [elastic] for REST request [${AUTHENTICATE}]`);
    expect((await authenticateAs('elastic', USERS.elastic.password)).body.authentication_realm.name).toBe('reserved');
  });

  it('without a file realm the chain is reserved, then native', async () => {
    const noFiles = await startTestApi({ ES_PATH_CONF: '' });
    try {
      await putNativeUser(noFiles, { username: 'token_client', password: 'native-password' });
      const fileUser = await call(noFiles, 'GET', AUTHENTICATE, { auth: USERS.tokenClient });
      expect(fileUser.status).toBe(401);
      const native = await call(noFiles, 'GET', AUTHENTICATE, {
        auth: { username: 'token_client', password: 'native-password' },
      });
      expect(native.body.authentication_realm.name).toBe('default_native');
    } finally {
      await noFiles.close();
    }
  });

  it('a Basic username too long for any realm is 401, not a storage error', async () => {
    const response = await authenticateAs('x'.repeat(3000), 'whatever-password');
    expect(response.status).toBe(401);
  });
});

describe('disabled and deleted native users', () => {
  const bob = { username: 'native-bob', password: 'bob-password' };

  beforeEach(async () => {
    await putNativeUser(api, { ...bob, roles: ['superuser'] });
  });

  it('a disabled user cannot authenticate with Basic (ER-9), nor be named in a password grant (GT-7), nor call as a client', async () => {
    await call(api, 'PUT', `/_security/user/${bob.username}/_disable`, { auth: USERS.elastic });

    const basic = await authenticateAs(bob.username, bob.password);
    expect(basic.status).toBe(401);
    expect(basic.body.error.reason).toBe(`unable to authenticate user [${bob.username}] for REST request [${AUTHENTICATE}]`);

    const grant = await call(api, 'POST', TOKEN, {
      auth: USERS.elastic,
      body: { grant_type: 'password', username: bob.username, password: bob.password },
    });
    expect(grant.status).toBe(401);
    expect(grant.body.error.reason).toBe(
      `unable to authenticate user [${bob.username}] for action [cluster:admin/xpack/security/token/create]`,
    );

    const asClient = await call(api, 'POST', TOKEN, { auth: bob, body: { grant_type: 'client_credentials' } });
    expect(asClient.status).toBe(401);
  });

  it("a deleted user's Basic credentials stop working at once, on a warm cache", async () => {
    expect((await authenticateAs(bob.username, bob.password)).status).toBe(200);
    expect((await authenticateAs(bob.username, bob.password)).status).toBe(200);
    await call(api, 'DELETE', `/_security/user/${bob.username}`, { auth: USERS.elastic });
    expect((await authenticateAs(bob.username, bob.password)).status).toBe(401);
    const grant = await call(api, 'POST', TOKEN, {
      auth: USERS.elastic,
      body: { grant_type: 'password', username: bob.username, password: bob.password },
    });
    expect(grant.status).toBe(401);
  });

  it('a password change takes effect on the next request, though the old password is cached as good', async () => {
    for (let i = 0; i < 3; i++) expect((await authenticateAs(bob.username, bob.password)).status).toBe(200);
    await call(api, 'POST', `/_security/user/${bob.username}/_password`, {
      auth: USERS.elastic,
      body: { password: 'bob-new-password' },
    });
    expect((await authenticateAs(bob.username, bob.password)).status).toBe(401);
    expect((await authenticateAs(bob.username, 'bob-new-password')).status).toBe(200);
    await expect(passwordGrant(api, { username: bob.username, password: bob.password })).rejects.toThrow(/401/);
    expect((await passwordGrant(api, { username: bob.username, password: 'bob-new-password' })).authentication).toMatchObject({
      username: bob.username,
      authentication_realm: { name: 'default_native', type: 'native' },
    });
  });

  it('AU-2: an access token issued before the user was disabled stays valid until it expires, as in Elasticsearch', async () => {
    const { access_token } = await passwordGrant(api, bob);
    await call(api, 'PUT', `/_security/user/${bob.username}/_disable`, { auth: USERS.elastic });
    const response = await call(api, 'GET', AUTHENTICATE, { auth: { bearer: access_token } });
    expect(response.status).toBe(200);
    expect(response.body.authentication_type).toBe('token');
  });
});
