import type { Client } from '@elastic/elasticsearch';
import { HOUR } from '../support/clock';
import { pairCount, testClients } from '../support/dynamodb';
import { USERS } from '../support/file-realm';
import { esError } from '../support/native-users';
import { signingKey, type TestClient, type TestProvider } from '../support/oidc-provider';
import { type OidcRealmApi, startOidcRealmApi } from '../support/oidc-realm-api';
import { KIBANA_OIDC_CALLBACK } from '../support/realm-settings';
import { call, esClient, passwordGrant, type TestApi } from '../support/test-api';

const CLIENT: TestClient = {
  client_id: 'es-token-service',
  client_secret: 'client-secret-of-the-test-relying-party',
  redirect_uris: [KIBANA_OIDC_CALLBACK],
  post_logout_redirect_uris: ['https://kibana.example.com/logged_out'],
};
const FAILED = 'unable to authenticate user [<OIDC Token>] for action [cluster:admin/xpack/security/oidc/authenticate]';

let realm: OidcRealmApi;
let provider: TestProvider;
let api: TestApi;
let facilitator: Client;

beforeAll(async () => {
  realm = await startOidcRealmApi(CLIENT, {
    // Trusts a key the provider does not sign with (OIDC-V-1, OIDC-V-2).
    others: [{ name: 'oidc_other_key', client: CLIENT, jwks: { keys: [signingKey('other').publicJwk] } }],
  });
  ({ provider, api, facilitator } = realm);
  await facilitator.security.putRoleMapping({
    name: 'oidc_admins',
    enabled: true,
    roles: ['token_admin'],
    rules: { all: [{ field: { 'realm.name': 'oidc1' } }, { field: { groups: 'admins' } }] },
  });
  await facilitator.security.putRoleMapping({
    name: 'oidc_everyone',
    enabled: true,
    role_templates: [{ template: { source: 'user_{{username}}' }, format: 'string' }],
    rules: { field: { 'realm.name': 'oidc*' } },
  });
});
afterAll(() => realm?.close());

/** Prepare, log in at the provider as `login`, and answer what authenticate needs. */
const loginAt = (login: string, at?: string) => realm.browserLogIn(login, at);

const authenticateCall = (body: Record<string, unknown>) =>
  call(api, 'POST', '/_security/oidc/authenticate', { auth: USERS.elastic, body });

describe('OpenID Connect login against a real provider (the "Done when" flow, official JS client)', () => {
  it('OIDC-A-5, OIDC-A-7, OIDC-A-8, OIDC-U-1..OIDC-U-5, TOK-1..TOK-5, RM-7: login (claims from userinfo), _authenticate as the SSO user with mapped roles, refresh, realm-wide invalidation of exactly the SSO pairs', async () => {
    const response = await facilitator.security.oidcAuthenticate(await loginAt('alice+admins'));
    expect(response).toMatchObject({ type: 'Bearer', expires_in: 1200, username: 'alice+admins' });
    const asUser = esClient(api, { bearer: response.access_token });
    const me = await asUser.security.authenticate();
    expect(me).toMatchObject({
      username: 'alice+admins',
      email: 'alice@example.com',
      full_name: 'User alice',
      authentication_realm: { name: 'oidc1', type: 'oidc' },
      lookup_realm: { name: 'oidc1', type: 'oidc' },
      authentication_type: 'token',
      metadata: { 'oidc(sub)': 'alice+admins', 'oidc(email)': 'alice@example.com' },
    });
    expect([...me.roles].sort()).toEqual(['token_admin', 'user_alice+admins']);

    const refreshed = await facilitator.security.getToken({ grant_type: 'refresh_token', refresh_token: response.refresh_token });
    const again = await esClient(api, { bearer: refreshed.access_token as string }).security.authenticate();
    expect({ realm: again.authentication_realm, roles: [...again.roles].sort() }).toEqual({
      realm: { name: 'oidc1', type: 'oidc' },
      roles: ['token_admin', 'user_alice+admins'],
    });
    const other = await facilitator.security.oidcAuthenticate(await loginAt('bob'));
    const password = await passwordGrant(api, USERS.tokenClient);

    const invalidated = await facilitator.security.invalidateToken({ realm_name: 'oidc1' });
    expect(invalidated.error_count).toBe(0);
    expect(invalidated.invalidated_tokens).toBeGreaterThanOrEqual(4);
    for (const token of [refreshed.access_token as string, other.access_token]) {
      expect((await call(api, 'GET', '/_security/_authenticate', { auth: { bearer: token } })).status).toBe(401);
    }
    expect((await call(api, 'GET', '/_security/_authenticate', { auth: { bearer: password.access_token } })).status).toBe(200);
    // The realm's revocation watermark covers every pair created up to the DELETE's instant, that one included:
    // the tests after this one log in later, as they would on a clock that moves.
    api.clock.advance(1_000);
  });

  it('COMMON-7: without a realm, the realms are tried in order until one authenticates the user', async () => {
    const { realm: _, ...login } = await loginAt('judy');
    const response = await authenticateCall(login);
    expect(response.status).toBe(200);
    expect(response.body.authentication.authentication_realm).toEqual({ name: 'oidc1', type: 'oidc' });
  });

  it('COMMON-5, OPEN-1: the response is the union of what Elasticsearch emits and what its specification lists', async () => {
    const response = await authenticateCall(await loginAt('kim'));
    expect(Object.keys(response.body).sort()).toEqual([
      'access_token',
      'authentication',
      'expires_in',
      'refresh_token',
      'type',
      'username',
    ]);
    expect(response.body.authentication.authentication_type).toBe('realm');
  });

  it('TOK-4: only the client that created an SSO pair may refresh it', async () => {
    const response = await facilitator.security.oidcAuthenticate(await loginAt('carol'));
    const refresh = await call(api, 'POST', '/_security/oauth2/token', {
      auth: USERS.admin,
      body: { grant_type: 'refresh_token', refresh_token: response.refresh_token },
    });
    expect(refresh.body).toEqual({
      error: 'invalid_grant',
      error_description: 'tokens must be refreshed by the creating client',
    });
  });

  it('OIDC-L-1..OIDC-L-3, TOK-6: logout invalidates the pair and answers the provider end-session URL', async () => {
    const response = await facilitator.security.oidcAuthenticate(await loginAt('dave'));
    const { redirect } = await facilitator.security.oidcLogout({
      token: response.access_token,
      refresh_token: response.refresh_token,
    });
    const url = new URL(redirect as string);
    expect(`${url.origin}${url.pathname}`).toBe(`${provider.issuer}/session/end`);
    expect(url.searchParams.get('client_id')).toBe(CLIENT.client_id);
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe('https://kibana.example.com/logged_out');
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect((await call(api, 'GET', '/_security/_authenticate', { auth: { bearer: response.access_token } })).status).toBe(401);
    const refresh = await call(api, 'POST', '/_security/oauth2/token', {
      auth: USERS.elastic,
      body: { grant_type: 'refresh_token', refresh_token: response.refresh_token },
    });
    expect(refresh.body.error).toBe('invalid_grant');
  });

  it('OIDC-L-4, TOK-6: a logout with the access token only leaves the refresh token usable', async () => {
    const response = await facilitator.security.oidcAuthenticate(await loginAt('lena'));
    await facilitator.security.oidcLogout({ token: response.access_token });
    const refresh = await call(api, 'POST', '/_security/oauth2/token', {
      auth: USERS.elastic,
      body: { grant_type: 'refresh_token', refresh_token: response.refresh_token },
    });
    expect(refresh.status).toBe(200);
  });

  it('OIDC-L-2: a password-grant token is not valid for an OpenID Connect realm', async () => {
    const password = await passwordGrant(api, USERS.tokenClient);
    const response = await call(api, 'POST', '/_security/oidc/logout', {
      auth: USERS.elastic,
      body: { token: password.access_token },
    });
    expect(response.body).toEqual(
      esError('illegal_argument_exception', 'Access token is not valid for an OpenID Connect realm', 400),
    );
  });

  it("RM-7: {{#url}} in a role template is Java's URLEncoder at login: a space is +, and ~!'() are escaped", async () => {
    await facilitator.security.putRoleMapping({
      name: 'oidc_url_encoded',
      enabled: true,
      role_templates: [{ template: { source: "url_{{#url}}{{username}} a~!'(){{/url}}" }, format: 'string' }],
      rules: { field: { username: 'carol' } },
    });
    const response = await facilitator.security.oidcAuthenticate(await loginAt('carol'));
    const me = await esClient(api, { bearer: response.access_token }).security.authenticate();
    expect([...me.roles].sort()).toEqual(['url_carol+a%7E%21%27%28%29', 'user_carol']);
  });
});

describe('OpenID Connect: what is refused', () => {
  it('OIDC-P-4, OIDC-P-5, OIDC-P-6: state, nonce and login_hint supplied are used verbatim', async () => {
    const prepared = await facilitator.security.oidcPrepareAuthentication({
      realm: 'oidc1',
      state: 's-1',
      nonce: 'n-1',
      login_hint: 'alice',
    });
    expect(prepared).toMatchObject({ state: 's-1', nonce: 'n-1', realm: 'oidc1' });
    const url = new URL(prepared.redirect);
    expect(`${url.origin}${url.pathname}`).toBe(`${provider.issuer}/auth`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      scope: 'openid email profile groups',
      client_id: CLIENT.client_id,
      redirect_uri: KIBANA_OIDC_CALLBACK,
      state: 's-1',
      nonce: 'n-1',
      login_hint: 'alice',
    });
    const generated = await facilitator.security.oidcPrepareAuthentication({ realm: 'oidc1' });
    expect(generated.state).toMatch(/^[\w-]{43}$/);
    expect(generated.nonce).toMatch(/^[\w-]{43}$/);
  });

  it('OIDC-P-3 (house rule 400): two realms of one issuer cannot be told apart by it', async () => {
    const response = await call(api, 'POST', '/_security/oidc/prepare', { auth: USERS.elastic, body: { iss: provider.issuer } });
    expect(response.body).toEqual(
      esError('security_exception', `Found multiple OpenID Connect realm with issuer [${provider.issuer}]`, 400),
    );
  });

  it('OIDC-P-2, OIDC-A-2, OIDC-L-1: request validation', async () => {
    const prepare = await call(api, 'POST', '/_security/oidc/prepare', { auth: USERS.elastic, body: {} });
    expect(prepare.body.error.reason).toBe('Validation Failed: 1: one of [realm, issuer] must be provided;');
    const authenticate = await authenticateCall({ realm: null });
    expect(authenticate.body.error.reason).toBe(
      'Validation Failed: 1: state parameter is missing;2: nonce parameter is missing;3: redirect_uri parameter is missing;',
    );
    const logout = await call(api, 'POST', '/_security/oidc/logout', { auth: USERS.elastic, body: {} });
    expect(logout.body.error.reason).toBe('Validation Failed: 1: token is missing;');
  });

  it('OIDC-P-3 (house rule 400): an unknown realm or issuer', async () => {
    const byName = await call(api, 'POST', '/_security/oidc/prepare', { auth: USERS.elastic, body: { realm: 'nope' } });
    expect(byName.body).toEqual(esError('security_exception', 'Cannot find OpenID Connect realm with name [nope]', 400));
    const byIssuer = await call(api, 'POST', '/_security/oidc/prepare', { auth: USERS.elastic, body: { iss: 'https://x' } });
    expect(byIssuer.body).toEqual(esError('security_exception', 'Cannot find OpenID Connect realm with issuer [https://x]', 400));
    const authenticate = await authenticateCall({
      redirect_uri: `${KIBANA_OIDC_CALLBACK}?code=x&state=s`,
      state: 's',
      nonce: 'n',
      realm: 'nope',
    });
    expect(authenticate.status).toBe(400);
  });

  it('OIDC-A-3, OIDC-A-4, OIDC-V-5, COMMON-6: a wrong state is the generic 401', async () => {
    const login = await loginAt('erin');
    const response = await authenticateCall({ ...login, state: 'not-the-state' });
    expect(response.status).toBe(401);
    expect(response.body).toEqual(esError('security_exception', FAILED, 401));
  });

  it('OIDC-V-3: a wrong nonce is the generic 401', async () => {
    const response = await authenticateCall({ ...(await loginAt('frank')), nonce: 'not-the-nonce' });
    expect(response.body).toEqual(esError('security_exception', FAILED, 401));
  });

  it('OIDC-A-5: a replayed code is the generic 401 and creates no pair (the OP redeems a code once)', async () => {
    const { documents } = testClients();
    const login = await loginAt('grace');
    expect((await authenticateCall(login)).status).toBe(200);
    const pairs = await pairCount(documents, api.tokensTable);
    expect((await authenticateCall(login)).body).toEqual(esError('security_exception', FAILED, 401));
    expect((await authenticateCall(login)).body).toEqual(esError('security_exception', FAILED, 401));
    expect(await pairCount(documents, api.tokensTable)).toBe(pairs);
  });

  it('OIDC-V-3, OIDC-V-4: an ID token past its expiry and the allowed clock skew is the generic 401', async () => {
    const login = await loginAt('heidi');
    api.clock.advance(2 * HOUR);
    try {
      expect((await authenticateCall(login)).body).toEqual(esError('security_exception', FAILED, 401));
    } finally {
      api.clock.advance(-2 * HOUR);
    }
  });

  it('OIDC-V-1, OIDC-V-2: an ID token signed by a key the realm does not trust is the generic 401', async () => {
    const login = await loginAt('ivan', 'oidc_other_key');
    expect((await authenticateCall(login)).body).toEqual(esError('security_exception', FAILED, 401));
  });

  it('COMMON-2: the APIs need manage_oidc', async () => {
    const response = await call(api, 'POST', '/_security/oidc/prepare', { auth: USERS.tokenClient, body: { realm: 'oidc1' } });
    expect(response.status).toBe(403);
    expect(response.body.error.reason).toMatch(/granted by the cluster privileges \[manage_oidc,manage_security,all\]$/);
  });
});
