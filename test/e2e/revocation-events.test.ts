import { EventBridgeRevocationEvents } from '../../functions/aws/eventbridge-revocation-events';
import { REVOCATION_DETAIL_TYPE, REVOCATION_EVENT_SOURCE } from '../../functions/aws/revocation-event-names';
import { SECOND } from '../support/clock';
import { TEST_REGION } from '../support/dynamodb';
import { useFakeEventBridge } from '../support/fake-eventbridge';
import { USERS } from '../support/file-realm';
import { putNativeUser } from '../support/native-users';
import { kibanaClient, type OidcRealmApi, startOidcRealmApi } from '../support/oidc-realm-api';
import { browserLogin } from '../support/saml-idp';
import { recordSamlResponse } from '../support/saml-messages';
import { kibanaSp, type SamlRealmApi, startSamlRealmApi } from '../support/saml-realm-api';
import { call, esClient, passwordGrant, startTestApi, type TestApi } from '../support/test-api';

/**
 * Every invalidation path announces one revocation on EventBridge (a loopback fake of PutEvents, reached by
 * the real SDK client): the invalidate API by token, refresh token, realm and user, and the OpenID Connect and
 * SAML logouts. An announcement that fails, is refused or hangs changes nothing in the invalidation's answer.
 */

const BUS = 'revocations';
const fake = useFakeEventBridge();
const revocationEvents = () => new EventBridgeRevocationEvents(BUS, TEST_REGION);

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({}, { revocationEvents });
  await putNativeUser(api, { username: 'carol', password: 'carol-password-1', roles: [] });
});
afterAll(() => api.close());

beforeEach(() => {
  fake().entries.length = 0;
  fake().behaviour = 'accept';
  // A realm- or user-wide invalidation covers the pairs created up to its instant: each test's pairs come later.
  api.clock.advance(SECOND);
});

const invalidate = (body: Record<string, string>) =>
  call(api, 'DELETE', '/_security/oauth2/token', { auth: USERS.elastic, body });

/** The announced events' details, each checked to be the service's, on the bus, and free of `secrets`. */
function announced(...secrets: string[]): Record<string, unknown>[] {
  return fake().entries.map((entry) => {
    expect(entry).toMatchObject({ EventBusName: BUS, Source: REVOCATION_EVENT_SOURCE, DetailType: REVOCATION_DETAIL_TYPE });
    for (const secret of secrets) expect(JSON.stringify(entry)).not.toContain(secret);
    return JSON.parse(entry.Detail) as Record<string, unknown>;
  });
}

const counts = (invalidated: number, previously = 0) => ({
  invalidated_tokens: invalidated,
  previously_invalidated_tokens: previously,
  error_count: 0,
  continuing: false,
});

describe('the invalidate API announces each invalidation', () => {
  it('IV-5: one access token, with its half and counts, never the token; again, as previously invalidated', async () => {
    const { access_token } = await passwordGrant(api, USERS.elastic);
    expect((await invalidate({ token: access_token })).body.invalidated_tokens).toBe(1);
    expect((await invalidate({ token: access_token })).body.previously_invalidated_tokens).toBe(1);
    expect(announced(access_token)).toEqual([
      { cause: 'invalidate_token', scope: { type: 'token', half: 'access' }, ...counts(1) },
      { cause: 'invalidate_token', scope: { type: 'token', half: 'access' }, ...counts(0, 1) },
    ]);
  });

  it('IV-6: one refresh token', async () => {
    const { refresh_token } = await passwordGrant(api, USERS.elastic);
    await invalidate({ refresh_token });
    expect(announced(refresh_token)).toEqual([
      { cause: 'invalidate_token', scope: { type: 'token', half: 'refresh' }, ...counts(1) },
    ]);
  });

  it('IV-7: nothing for a token that was never issued (404)', async () => {
    expect((await invalidate({ token: 'never-issued' })).status).toBe(404);
    expect(fake().entries).toEqual([]);
  });

  it('IV-8: a user, and a realm, with the counts the API answered', async () => {
    const carol = await passwordGrant(api, { username: 'carol', password: 'carol-password-1' });
    const byUser = await invalidate({ username: 'carol' });
    expect(byUser.body).toMatchObject({ invalidated_tokens: 2 });
    await passwordGrant(api, USERS.reader);
    const byRealm = await invalidate({ realm_name: 'default_file' });
    expect(announced(carol.access_token, carol.refresh_token)).toEqual([
      { cause: 'invalidate_token', scope: { type: 'realm_or_user', username: 'carol' }, ...counts(2) },
      {
        cause: 'invalidate_token',
        scope: { type: 'realm_or_user', realm: 'default_file' },
        ...counts(byRealm.body.invalidated_tokens, byRealm.body.previously_invalidated_tokens),
      },
    ]);
    expect(byRealm.body.invalidated_tokens).toBeGreaterThanOrEqual(2);
  });
});

describe('an announcement that goes wrong never fails nor holds the invalidation', () => {
  it.each([
    ['EventBridge answers 500', 'fail'],
    ['EventBridge refuses the entry', 'refuse'],
    ['EventBridge never answers (the wait is bounded: 1 s)', 'hang'],
  ] as const)('%s: the invalidation answers its counts and holds', async (_name, behaviour) => {
    fake().behaviour = behaviour;
    const { access_token } = await passwordGrant(api, USERS.elastic);
    const response = await invalidate({ token: access_token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ invalidated_tokens: 1, previously_invalidated_tokens: 0, error_count: 0 });
    expect(fake().entries.length).toBeGreaterThanOrEqual(1);
    expect((await call(api, 'GET', '/_security/_authenticate', { auth: { bearer: access_token } })).status).toBe(401);
  });
});

describe('single sign-on logouts announce their invalidations', () => {
  let oidc: OidcRealmApi;
  let saml: SamlRealmApi;
  const sp = kibanaSp('revocation-events-sp');
  beforeAll(async () => {
    oidc = await startOidcRealmApi(kibanaClient('revocation-events'), { api: { revocationEvents } });
    saml = await startSamlRealmApi(sp, { revocationEvents });
  });
  afterAll(async () => {
    await oidc?.close();
    await saml?.close();
  });

  it('OIDC-L-2: an OpenID Connect logout, of the refresh token then the access token', async () => {
    const login = await oidc.logIn('alice');
    expect(login.status).toBe(200);
    const { access_token, refresh_token } = login.body;
    const logout = await call(oidc.api, 'POST', '/_security/oidc/logout', {
      auth: USERS.elastic,
      body: { token: access_token, refresh_token },
    });
    expect(logout.status).toBe(200);
    expect(announced(access_token, refresh_token)).toEqual([
      { cause: 'oidc_logout', scope: { type: 'token', half: 'refresh' }, ...counts(1) },
      { cause: 'oidc_logout', scope: { type: 'token', half: 'access' }, ...counts(1) },
    ]);
  });

  async function samlLogin(user: string) {
    const facilitator = esClient(saml.api, USERS.elastic);
    const prepared = await facilitator.security.samlPrepareAuthentication({ realm: 'saml1' });
    const content = recordSamlResponse(await browserLogin(prepared.redirect, user));
    return facilitator.security.samlAuthenticate({ content, ids: [prepared.id], realm: 'saml1' });
  }

  it('SAML-L-2: a SAML logout', async () => {
    const { access_token } = await samlLogin('grace');
    const logout = await call(saml.api, 'POST', '/_security/saml/logout', { auth: USERS.elastic, body: { token: access_token } });
    expect(logout.status).toBe(200);
    expect(announced(access_token)).toEqual([{ cause: 'saml_logout', scope: { type: 'token', half: 'access' }, ...counts(1) }]);
  });

  it('SAML-I-4: an IdP-initiated logout, with the session’s realm and the pairs it invalidated', async () => {
    const { access_token } = await samlLogin('heidi');
    const query = await saml.idp.logoutRequest('heidi', 'relay-1');
    const invalidated = await call(saml.api, 'POST', '/_security/saml/invalidate', {
      auth: USERS.elastic,
      body: { realm: 'saml1', query_string: query },
    });
    expect(invalidated.body).toMatchObject({ realm: 'saml1', invalidated: 1 });
    expect(announced(access_token)).toEqual([
      { cause: 'saml_invalidate', scope: { type: 'saml_session', realm: 'saml1' }, ...counts(1) },
    ]);
  });
});
