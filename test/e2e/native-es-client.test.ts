import { errors } from '@elastic/elasticsearch';
import { USERS } from '../support/file-realm';
import { esClient, startTestApi, type TestApi } from '../support/test-api';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

async function statusOf(promise: Promise<unknown>): Promise<number | undefined> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error === undefined) return 200;
  expect(error).toBeInstanceOf(errors.ResponseError);
  return (error as errors.ResponseError).statusCode;
}

describe('the official @elastic/elasticsearch client against the user and role APIs', () => {
  it('putUser, getUser, changePassword, then getToken for that user and authenticate with it (default_native), then deleteUser', async () => {
    const client = esClient(api, USERS.elastic);
    expect(
      await client.security.putUser({
        username: 'jacknich',
        password: 'l0ng-r4nd0m-p@ssw0rd',
        roles: ['admin', 'other_role1'],
        full_name: 'Jack Nicholson',
        email: 'jacknich@example.com',
        metadata: { intelligence: 7 },
      }),
    ).toEqual({ created: true });

    const users = await client.security.getUser({ username: 'jacknich' });
    expect(users.jacknich).toEqual({
      username: 'jacknich',
      roles: ['admin', 'other_role1'],
      full_name: 'Jack Nicholson',
      email: 'jacknich@example.com',
      metadata: { intelligence: 7 },
      enabled: true,
    });

    expect(await client.security.changePassword({ username: 'jacknich', password: 'n3w-p@ssw0rd' })).toEqual({});

    const token = await client.security.getToken({ grant_type: 'password', username: 'jacknich', password: 'n3w-p@ssw0rd' });
    const me = await esClient(api, { bearer: token.access_token }).security.authenticate();
    expect(me.username).toBe('jacknich');
    expect(me.authentication_type).toBe('token');
    expect(me.authentication_realm).toEqual({ name: 'default_native', type: 'native' });
    expect(me.lookup_realm).toEqual({ name: 'default_native', type: 'native' });

    expect(
      await statusOf(
        client.security.getToken({ grant_type: 'password', username: 'jacknich', password: 'l0ng-r4nd0m-p@ssw0rd' }),
      ),
    ).toBe(401);

    expect(await client.security.deleteUser({ username: 'jacknich' })).toEqual({ found: true });
    expect(await statusOf(client.security.getUser({ username: 'jacknich' }))).toBe(404);
    expect(
      await statusOf(client.security.getToken({ grant_type: 'password', username: 'jacknich', password: 'n3w-p@ssw0rd' })),
    ).toBe(401);
  });

  it('disableUser and enableUser', async () => {
    const client = esClient(api, USERS.elastic);
    await client.security.putUser({ username: 'switch', password: 'switch-password', roles: [] });
    expect(await client.security.disableUser({ username: 'switch' })).toEqual({});
    expect(await statusOf(esClient(api, { username: 'switch', password: 'switch-password' }).security.authenticate())).toBe(401);
    expect(await client.security.enableUser({ username: 'switch' })).toEqual({});
    expect((await esClient(api, { username: 'switch', password: 'switch-password' }).security.authenticate()).username).toBe(
      'switch',
    );
  });

  it('putRole, getRole, deleteRole; a native role authorizes a native user', async () => {
    const client = esClient(api, USERS.elastic);
    expect(await client.security.putRole({ name: 'token_issuer', cluster: ['manage_token'] })).toEqual({
      role: { created: true },
    });
    expect((await client.security.getRole({ name: 'token_issuer' })).token_issuer?.cluster).toEqual(['manage_token']);
    await client.security.putUser({ username: 'issuer', password: 'issuer-password', roles: ['token_issuer'] });

    const issuer = esClient(api, { username: 'issuer', password: 'issuer-password' });
    const token = await issuer.security.getToken({ grant_type: 'client_credentials' });
    expect(token.authentication.authentication_realm).toEqual({ name: 'default_native', type: 'native' });

    expect(await client.security.deleteRole({ name: 'token_issuer' })).toEqual({ found: true });
    expect(await statusOf(issuer.security.getToken({ grant_type: 'client_credentials' }))).toBe(403);
  });
});

/**
 * The flow of Elasticsearch's token REST test (x-pack `token/10_basic.yml`), written as our own test:
 * create `token_user` through the user API, get a token with the password grant, authenticate with it,
 * then invalidate by username and by realm.
 */
describe("Elasticsearch's token REST test flow", () => {
  it('creates token_user (superuser, "Token User"), gets a password-grant token and authenticates with it', async () => {
    const client = esClient(api, USERS.elastic);
    await client.security.putUser({
      username: 'token_user',
      password: 'x-pack-test-password',
      roles: ['superuser'],
      full_name: 'Token User',
    });

    const token = await client.security.getToken({
      grant_type: 'password',
      username: 'token_user',
      password: 'x-pack-test-password',
    });
    expect(token.type).toBe('Bearer');
    expect(token.access_token).toEqual(expect.any(String));
    expect(token.refresh_token).toEqual(expect.any(String));

    const me = await esClient(api, { bearer: token.access_token }).security.authenticate();
    expect(me.username).toBe('token_user');
    expect(me.roles).toEqual(['superuser']);
    expect(me.full_name).toBe('Token User');
    expect(me.authentication_realm.name).toBe('default_native');

    // IV-8: both halves of the pair, then nothing left; a new pair is invalidated by realm.
    expect(await client.security.invalidateToken({ username: 'token_user' })).toMatchObject({
      invalidated_tokens: 2,
      previously_invalidated_tokens: 0,
      error_count: 0,
    });
    await expect(esClient(api, { bearer: token.access_token }).security.authenticate()).rejects.toMatchObject({
      statusCode: 401,
    });
    const second = await client.security.getToken({
      grant_type: 'password',
      username: 'token_user',
      password: 'x-pack-test-password',
    });
    // The realm also holds the live tokens of this file's other tests: at least this pair's 2 halves.
    const byRealm = await client.security.invalidateToken({ realm_name: 'default_native' });
    expect(byRealm.invalidated_tokens).toBeGreaterThanOrEqual(2);
    expect(byRealm.error_count).toBe(0);
    await expect(esClient(api, { bearer: second.access_token }).security.authenticate()).rejects.toMatchObject({
      statusCode: 401,
    });
  });
});
