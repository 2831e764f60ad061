import { RUN_AS_HEADER } from '../../functions/security/run-as';
import { USERS } from '../support/file-realm';
import { putNativeUser, validationError } from '../support/native-users';
import { call, startTestApi, type TestApi } from '../support/test-api';

/**
 * Patterns a caller or a role author can choose, which a backtracking engine takes exponential time over: each
 * of these requests took seconds to hours, holding up every other caller. Each is answered here by a matcher
 * that is linear by construction (test/unit/security/patterns/automatons.test.ts counts its work), so these
 * tests would time out rather than pass on a backtracking one.
 */

let api: TestApi;
const NESTED = { username: 'nested_runner', password: 'nested-runner-password' };
const STARRY = { username: 'starry', password: 'starry-password-1' };
const STARRY_PATTERN = `cluster:${'*?'.repeat(16)}X`;

beforeAll(async () => {
  api = await startTestApi();
  const put = (name: string, body: object) => call(api, 'PUT', `/_security/role/${name}`, { auth: USERS.elastic, body });
  await put('nested', { cluster: [], run_as: ['/(a+)+b/', '/token_(c|x)lient/'] });
  await put('starry', { cluster: [STARRY_PATTERN] });
  await putNativeUser(api, { ...NESTED, roles: ['nested'] });
  await putNativeUser(api, { ...STARRY, roles: ['starry'] });
});
afterAll(() => api.close());

describe('15.4: role patterns with nested quantifiers are matched in linear time', () => {
  it('15.4: run_as /(a+)+b/ and a 40-character run-as header: 403 runAsDenied; a regex that matches lets the caller in', async () => {
    const target = 'a'.repeat(40);
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

  it('15.4: a held cluster:*?*?…X privilege is matched against each action: 403 actionDenied, not a stalled request', async () => {
    const response = await call(api, 'GET', '/_security/user', { auth: STARRY });
    expect(response.status).toBe(403);
    expect(response.body.error.reason).toBe(
      'action [cluster:admin/xpack/security/user/get] is unauthorized for user [starry] with effective roles [starry], ' +
        'this action is granted by the cluster privileges [manage_security,all]',
    );
  });

  it("15.4: a run_as pattern the matcher cannot run is refused by the role API, with Lucene's message where it has one", async () => {
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

describe('15.3: filter_path is matched in linear time', () => {
  const authenticate = (filterPath: string) =>
    call(api, 'GET', `/_security/_authenticate?filter_path=${encodeURIComponent(filterPath)}`, { auth: USERS.reader });

  it('15.3: forty * in one name is answered as one *', async () => {
    const stars = await authenticate(`${'*'.repeat(40)}X`);
    expect(stars.status).toBe(200);
    expect(stars.body).toEqual({});
    expect((await authenticate(`${'*'.repeat(40)}name`)).body).toEqual((await authenticate('*name')).body);
  });

  it('15.3: 700 ** levels in a row are answered as one **', async () => {
    const many = await authenticate(`${'**.'.repeat(700)}name`);
    expect(many.status).toBe(200);
    expect(many.body).toEqual((await authenticate('**.name')).body);
    expect(many.body).toMatchObject({ authentication_realm: { name: 'default_file' } });
    const excluded = await authenticate(`-${'**.'.repeat(700)}name`);
    expect(excluded.body).toEqual((await authenticate('-**.name')).body);
  });
});
