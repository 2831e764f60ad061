import { RUN_AS_HEADER } from '../../functions/security/authz/run-as';
import { USERS } from '../support/file-realm';
import { putNativeRole, putNativeUser, validationError } from '../support/native-users';
import { kibanaClient, type OidcRealmApi, startOidcRealmApi } from '../support/oidc-realm-api';
import { call, type TestApi } from '../support/test-api';

/**
 * Patterns a caller or a role author can choose, which a backtracking engine takes exponential time over: each
 * of these requests takes a backtracking matcher 10 to 30 seconds on this API (and doubles or triples with
 * every character more), holding up every other caller. Each is answered here by a matcher that is linear by
 * construction (test/unit/security/patterns/automatons.test.ts counts its work); on a backtracking one these
 * tests time out. Nothing here is timed.
 */

let realm: OidcRealmApi;
let api: TestApi;
const NESTED = { username: 'nested_runner', password: 'nested-runner-password' };
const STARRY = { username: 'starry', password: 'starry-password-1' };
const STARRY_PATTERN = `cluster:${'*?'.repeat(12)}X`;

beforeAll(async () => {
  realm = await startOidcRealmApi(kibanaClient('hostile-patterns'));
  api = realm.api;
  await putNativeRole(api, 'nested', [], { run_as: ['/(a+)+b/', '/token_(c|x)lient/'] });
  await putNativeRole(api, 'starry', [STARRY_PATTERN]);
  await putNativeUser(api, { ...NESTED, roles: ['nested'] });
  await putNativeUser(api, { ...STARRY, roles: ['starry'] });
  const mapping = { enabled: true, roles: ['nested_groups'], rules: { field: { groups: '/(a+)+b/' } } };
  await call(api, 'PUT', '/_security/role_mapping/nested_groups', { auth: USERS.elastic, body: mapping });
});
afterAll(() => realm?.close());

/** Logs in at the provider as `login` (its groups are the parts after each `+`) and answers the SSO user's roles. */
async function rolesAfterLogin(login: string): Promise<string[]> {
  const tokens = await realm.logIn(login);
  expect(tokens.status).toBe(200);
  const me = await call(api, 'GET', '/_security/_authenticate', { auth: { bearer: tokens.body.access_token } });
  return me.body.roles;
}

describe('role patterns with nested quantifiers are matched in linear time', () => {
  it('run_as /(a+)+b/ and a 30-character run-as header: 403 runAsDenied; a regex that matches lets the caller in', async () => {
    const target = 'a'.repeat(30);
    const denied = await call(api, 'GET', '/_security/_authenticate', { auth: NESTED, headers: { [RUN_AS_HEADER]: target } });
    expect(denied.status).toBe(403);
    expect(denied.body.error.reason).toBe(
      'action [cluster:admin/xpack/security/user/authenticate] is unauthorized for user [nested_runner] with effective roles ' +
        `[nested], because user [nested_runner] is unauthorized to run as [${target}]`,
    );
    const allowed = await call(api, 'GET', '/_security/_authenticate', {
      auth: NESTED,
      headers: { [RUN_AS_HEADER]: 'token_client' },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.body.username).toBe('token_client');
  });

  it('a held cluster:*?*?…X privilege is matched against each action: 403 actionDenied, not a stalled request', async () => {
    const response = await call(api, 'GET', '/_security/user', { auth: STARRY });
    expect(response.status).toBe(403);
    expect(response.body.error.reason).toBe(
      'action [cluster:admin/xpack/security/user/get] is unauthorized for user [starry] with effective roles [starry], ' +
        'this action is granted by the cluster privileges [manage_security,all]',
    );
    for (const path of ['/_security/role', '/_security/role_mapping', '/_security/user/starry']) {
      const denied = await call(api, 'GET', path, { auth: STARRY });
      expect(denied.status).toBe(403);
      expect(denied.body.error.reason).toMatch(
        /^action \[cluster:admin\/xpack\/security\/[a-z_/]+\] is unauthorized for user \[starry\]/,
      );
    }
  });

  it("a run_as pattern the matcher cannot run is refused by the role API, with Lucene's message where it has one", async () => {
    const response = await call(api, 'PUT', '/_security/role/refused', {
      auth: USERS.elastic,
      body: { cluster: [], run_as: ['ok*', '/~admin/', '/(a/', '/unclosed'] },
    });
    expect(response.body).toEqual(
      validationError(
        'invalid run_as pattern [/~admin/]: unsupported regular expression operator [~] in [~admin]',
        "invalid run_as pattern [/(a/]: expected ')' at position 2",
        "invalid run_as pattern [/unclosed]: invalid pattern [/unclosed]. patterns starting with '/' indicate regular expression pattern and therefore must also end with '/'. other patterns (those that do not start with '/') will be treated as simple wildcard patterns",
      ),
    );
    const stored = await call(api, 'GET', '/_security/role/refused', { auth: USERS.elastic });
    expect(stored.status).toBe(404);
  });
});

describe('RM-6: role-mapping regexes are matched against SSO claims in linear time', () => {
  it('RM-6: a mapping on groups /(a+)+b/ and a 30-character groups claim: not mapped; with the b, mapped', async () => {
    expect(await rolesAfterLogin(`alice+${'a'.repeat(30)}`)).not.toContain('nested_groups');
    expect(await rolesAfterLogin(`bob+${'a'.repeat(30)}b`)).toContain('nested_groups');
  });
});

describe('filter_path is matched in linear time', () => {
  const authenticate = (filterPath: string) =>
    call(api, 'GET', `/_security/_authenticate?filter_path=${encodeURIComponent(filterPath)}`, { auth: USERS.reader });

  it('a run of 15 * in one name is answered as one *', async () => {
    const stars = await authenticate(`${'*'.repeat(15)}X`);
    expect(stars.status).toBe(200);
    expect(stars.body).toEqual({});
    expect((await authenticate(`${'*'.repeat(15)}name`)).body).toEqual((await authenticate('*name')).body);
  });

  it('700 ** levels in a row are answered as one **', async () => {
    const many = await authenticate(`${'**.'.repeat(700)}name`);
    expect(many.status).toBe(200);
    expect(many.body).toEqual((await authenticate('**.name')).body);
    expect(many.body).toMatchObject({ authentication_realm: { name: 'default_file' } });
    const excluded = await authenticate(`-${'**.'.repeat(700)}name`);
    expect(excluded.body).toEqual((await authenticate('-**.name')).body);
  });
});
