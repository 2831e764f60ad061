import { captureLog } from '../support/log-capture';
import { esError } from '../support/native-users';
import { kibanaClient, OIDC_AUTHENTICATION_FAILED, type OidcRealmApi, startOidcRealmApi } from '../support/oidc-realm-api';
import { esClient, type TestApi } from '../support/test-api';

/**
 * A provider that sends claims of the wrong type or nested thousands of levels deep, in the ID token, in the
 * userinfo answer or in both (the loopback provider misbehaves for a login that is a JSON object, see
 * test/support/oidc-provider-process.mjs): each login is refused with the generic 401, never a 5xx, and the
 * log says which check refused it. A well-typed login through the same misbehaving path is accepted first, so
 * each refusal is the claim's doing.
 */

const FAILED = OIDC_AUTHENTICATION_FAILED;

let realm: OidcRealmApi;
let api: TestApi;

beforeAll(async () => {
  realm = await startOidcRealmApi(kibanaClient('hostile-claims'), { extra: { 'claims.dn': 'dn' } });
  ({ api } = realm);
});
afterAll(() => realm?.close());

interface Misbehaviour {
  readonly id_token?: Record<string, unknown>;
  readonly userinfo?: Record<string, unknown>;
  readonly depth?: { readonly id_token?: number; readonly userinfo?: number };
}

/** Logs in at the provider, misbehaving as `how` says, and calls authenticate with what the browser brought. */
const login = (how: Misbehaviour) => realm.logIn(JSON.stringify(how));

/** Refused with the generic 401; the log names the realm's reason. */
async function expectRefused(how: Misbehaviour, reason: string): Promise<void> {
  const log = captureLog();
  const response = await login(how);
  expect(response.body).toEqual(esError('security_exception', FAILED, 401));
  expect(response.headers.get('www-authenticate')).not.toBeNull();
  expect(log.lines()).toContain(reason);
}

/** The same claims in the ID token and in the userinfo answer. */
const both = (claims: Record<string, unknown>): Misbehaviour => ({ id_token: claims, userinfo: claims });

describe('OpenID Connect claims of the wrong type', () => {
  it('OIDC-V-3, OIDC-U-1..OIDC-U-3: well-typed claims through the misbehaving path are accepted (a group as a single string)', async () => {
    const response = await login(both({ sub: 'victim', groups: 'admins', name: 'Victim', email: 'v@example.com', dn: 'cn=v' }));
    expect(response.status).toBe(200);
    const me = await esClient(api, { bearer: response.body.access_token }).security.authenticate();
    expect(me).toMatchObject({ username: 'victim', full_name: 'Victim', email: 'v@example.com' });
    expect(me.metadata).toMatchObject({ 'oidc(sub)': 'victim', 'oidc(dn)': 'cn=v' });
  });

  it('OIDC-V-3, OIDC-V-5, COMMON-6: a sub that is not a string is the generic 401, never the user it names', async () => {
    await expectRefused(both({ sub: ['victim', 'x'] }), 'Illegal sub claim');
    await expectRefused(both({ sub: ['victim'] }), 'Illegal sub claim');
    await expectRefused(both({ sub: { victim: true } }), 'Illegal sub claim');
    await expectRefused(both({ sub: 42 }), 'Illegal sub claim');
    // A string in the ID token, an array in userinfo: the userinfo answer is for another subject.
    await expectRefused({ id_token: { sub: 'victim' }, userinfo: { sub: ['victim'] } }, 'different subject');
  });

  it('OIDC-U-2, COMMON-6: groups, name, mail or dn of another type than a string or an array of strings is the generic 401', async () => {
    const expects = (claim: string) => `Setting [claims.${claim}] expects a claim with String or a String Array value`;
    await expectRefused(both({ sub: 'victim', groups: 7 }), expects('groups'));
    await expectRefused(both({ sub: 'victim', groups: ['admins', 7] }), expects('groups'));
    await expectRefused(both({ sub: 'victim', groups: ['admins', null] }), expects('groups'));
    await expectRefused(both({ sub: 'victim', groups: [['admins']] }), expects('groups'));
    await expectRefused(both({ sub: 'victim', groups: { admins: true } }), expects('groups'));
    await expectRefused(both({ sub: 'victim', name: { first: 'V' } }), expects('name'));
    await expectRefused(both({ sub: 'victim', email: [1] }), expects('mail'));
    await expectRefused(both({ sub: 'victim', dn: true }), expects('dn'));
  });
});

describe('OpenID Connect claims nested deep', () => {
  const tooDeep = 'nests claims more than [400] levels deep';

  it('OIDC-A-7: a claim nested up to 400 levels (the claims being the first) is merged and accepted', async () => {
    const response = await login({ ...both({ sub: 'deep-enough' }), depth: { id_token: 399, userinfo: 399 } });
    expect(response.status).toBe(200);
    expect(response.body.username).toBe('deep-enough');
  });

  it('OIDC-A-7, COMMON-6: 3,000 and 8,000 levels in the ID token and the userinfo answer are the generic 401, not a stack overflow', async () => {
    for (const depth of [8_000, 3_000, 400]) {
      await expectRefused({ ...both({ sub: 'deep' }), depth: { id_token: depth, userinfo: depth } }, `ID Token ${tooDeep}`);
    }
  });

  it('OIDC-A-7, COMMON-6: deep claims in only one of the two are refused as well', async () => {
    await expectRefused({ ...both({ sub: 'deep' }), depth: { id_token: 8_000 } }, `ID Token ${tooDeep}`);
    await expectRefused({ ...both({ sub: 'deep' }), depth: { userinfo: 8_000 } }, `UserInfo Response ${tooDeep}`);
  });
});
