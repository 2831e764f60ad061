import type { Client } from '@elastic/elasticsearch';
import { pairCount, testClients } from '../support/dynamodb';
import { USERS } from '../support/file-realm';
import { esError } from '../support/native-users';
import { browserLogin, browserLogout, type TestIdp } from '../support/saml-idp';
import { recordSamlResponse } from '../support/saml-messages';
import { kibanaSp, SAML_AUTHENTICATION_FAILED, type SamlRealmApi, startSamlRealmApi } from '../support/saml-realm-api';
import { call, esClient, passwordGrant, type TestApi } from '../support/test-api';

const SP = kibanaSp('test-sp');
const FAILED = SAML_AUTHENTICATION_FAILED;

let realm: SamlRealmApi;
let idp: TestIdp;
let api: TestApi;
let facilitator: Client;

beforeAll(async () => {
  realm = await startSamlRealmApi(SP);
  ({ idp, api } = realm);
  facilitator = esClient(api, USERS.elastic);
  await facilitator.security.putRoleMapping({
    name: 'saml_admins',
    enabled: true,
    roles: ['token_admin'],
    rules: { all: [{ field: { 'realm.name': 'saml1' } }, { field: { groups: 'admins' } }] },
  });
});
afterAll(() => realm?.close());

/** Prepare, log in at the IdP as `login`, and answer what authenticate needs. */
async function loginAt(login: string) {
  const prepared = await facilitator.security.samlPrepareAuthentication({ realm: 'saml1' });
  const content = recordSamlResponse(await browserLogin(prepared.redirect, login));
  return { content, ids: [prepared.id], realm: 'saml1' };
}

const login = async (name: string) => facilitator.security.samlAuthenticate(await loginAt(name));
const status = async (token: string) => (await call(api, 'GET', '/_security/_authenticate', { auth: { bearer: token } })).status;
const refresh = (refreshToken: string) =>
  call(api, 'POST', '/_security/oauth2/token', {
    auth: USERS.elastic,
    body: { grant_type: 'refresh_token', refresh_token: refreshToken },
  });

describe('SAML login against a real IdP (the "Done when" flow, official JS client)', () => {
  it('SAML-P-3, SAML-P-4, SAML-P-5, SAML-A-3, SAML-V-6, SAML-U-1, SAML-U-2, SAML-U-3, SAML-U-4, SAML-U-5, COMMON-1, COMMON-5, TOK-1, TOK-2, TOK-3, RM-5: a login yields a pair for myuser in saml1, with mapped roles', async () => {
    const response = await login('myuser+admins');
    expect(response).toMatchObject({ username: 'myuser', realm: 'saml1', expires_in: 1200 });
    expect((response as unknown as { in_response_to: string }).in_response_to).toMatch(/^_[0-9a-f]{40}$/);
    const me = await esClient(api, { bearer: response.access_token }).security.authenticate();
    expect(me).toMatchObject({
      username: 'myuser',
      roles: ['token_admin'],
      email: 'myuser@example.com',
      full_name: 'User myuser',
      authentication_realm: { name: 'saml1', type: 'saml' },
      lookup_realm: { name: 'saml1', type: 'saml' },
      authentication_type: 'token',
      metadata: {
        saml_uid: ['myuser'],
        'saml(urn:oid:0.9.2342.19200300.100.1.1)': ['myuser'],
        saml_nameid: idp.sessions.get('myuser+admins')?.nameId,
        saml_nameid_format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
      },
    });
    // SAML-U-4: the token metadata logout needs is kept with the pair, never shown.
    expect(JSON.stringify(me)).not.toContain('saml_session');
  });

  it('TOK-5 (the invalidate-token documentation, five examples): by access token, by refresh token, {realm_name}, {username}, {username, realm_name} on SAML-minted pairs', async () => {
    const byAccess = await login('myuser');
    expect(await facilitator.security.invalidateToken({ token: byAccess.access_token })).toMatchObject({
      invalidated_tokens: 1,
      error_count: 0,
    });
    expect(await status(byAccess.access_token)).toBe(401);

    const byRefresh = await login('myuser');
    expect(await facilitator.security.invalidateToken({ refresh_token: byRefresh.refresh_token })).toMatchObject({
      invalidated_tokens: 1,
    });
    expect((await refresh(byRefresh.refresh_token)).body.error).toBe('invalid_grant');

    const password = await passwordGrant(api, USERS.tokenClient);
    const sessions = [await login('myuser'), await login('other')];
    const byRealm = await facilitator.security.invalidateToken({ realm_name: 'saml1' });
    expect(byRealm).toMatchObject({ error_count: 0 });
    expect(byRealm.invalidated_tokens).toBeGreaterThanOrEqual(4);
    for (const s of sessions) expect(await status(s.access_token)).toBe(401);
    expect(await status(password.access_token)).toBe(200);
    api.clock.advance(1_000);

    const mine = await login('myuser');
    const theirs = await login('other');
    expect(await facilitator.security.invalidateToken({ username: 'myuser' })).toMatchObject({ invalidated_tokens: 2 });
    expect([await status(mine.access_token), await status(theirs.access_token)]).toEqual([401, 200]);
    api.clock.advance(1_000);

    const again = await login('myuser');
    expect(await facilitator.security.invalidateToken({ username: 'myuser', realm_name: 'saml1' })).toMatchObject({
      invalidated_tokens: 2,
      previously_invalidated_tokens: 0,
    });
    expect([await status(again.access_token), await status(theirs.access_token)]).toEqual([401, 200]);
    api.clock.advance(1_000);
  });

  it('TOK-4: only the facilitator that created a SAML pair may refresh it; the refreshed pair keeps the SAML user', async () => {
    const response = await login('carol');
    const other = await call(api, 'POST', '/_security/oauth2/token', {
      auth: USERS.admin,
      body: { grant_type: 'refresh_token', refresh_token: response.refresh_token },
    });
    expect(other.body.error_description).toBe('tokens must be refreshed by the creating client');
    const refreshed = await refresh(response.refresh_token);
    expect(refreshed.body.authentication.authentication_realm).toEqual({ name: 'saml1', type: 'saml' });
  });

  it('COMMON-7: without a realm, the realms are tried in order', async () => {
    const { realm: _, ...body } = await loginAt('dora');
    const response = await call(api, 'POST', '/_security/saml/authenticate', { auth: USERS.elastic, body });
    expect(response.status).toBe(200);
  });
});

describe('SAML logout', () => {
  it('SAML-L-1, SAML-L-2, SAML-L-3, SAML-L-4, SAML-C-1, SAML-C-2, SAML-C-3, SAML-C-4, TOK-6: SP-initiated logout invalidates exactly that pair and sends a signed LogoutRequest; complete_logout checks the IdP answer', async () => {
    const mine = await login('erin');
    const theirs = await login('frank');
    const logout = await facilitator.security.samlLogout({ token: mine.access_token, refresh_token: mine.refresh_token });
    const { id, redirect } = logout as unknown as { id: string; redirect: string };
    const url = new URL(redirect);
    expect(`${url.origin}${url.pathname}`).toBe(`${idp.url}/slo`);
    expect(url.searchParams.get('SigAlg')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(id).toMatch(/^_[0-9a-f]{40}$/);
    expect([await status(mine.access_token), await status(theirs.access_token)]).toEqual([401, 200]);
    expect((await refresh(mine.refresh_token)).body.error).toBe('invalid_grant');
    // The browser takes the LogoutRequest to the IdP (which verifies its signature) and brings back its answer.
    const queryString = await browserLogout(redirect);
    expect(await facilitator.security.samlCompleteLogout({ realm: 'saml1', ids: [id], query_string: queryString })).toEqual({});
    const unexpected = await call(api, 'POST', '/_security/saml/complete_logout', {
      auth: USERS.elastic,
      body: { realm: 'saml1', ids: ['_other'], query_string: queryString },
    });
    expect(unexpected.status).toBe(400);
  });

  it('SAML-I-1, SAML-I-2, SAML-I-3, SAML-I-4, SAML-I-5, TOK-4: IdP-initiated logout invalidates the pairs of that session (a refreshed one too), and no other', async () => {
    const first = await login('grace');
    const successor = (await refresh(first.refresh_token)).body;
    const secondSession = await login('heidi');
    const query = await idp.logoutRequest('grace', 'relay-1');
    const response = await facilitator.security.samlInvalidate({ realm: 'saml1', query_string: query });
    expect(response).toMatchObject({ realm: 'saml1', invalidated: 2 });
    const answer = new URL(response.redirect);
    expect(`${answer.origin}${answer.pathname}`).toBe(`${idp.url}/slo`);
    expect(answer.searchParams.get('RelayState')).toBe('relay-1');
    expect(answer.searchParams.has('SAMLResponse')).toBe(true);
    expect([await status(successor.access_token), await status(secondSession.access_token)]).toEqual([401, 200]);
    expect((await refresh(successor.refresh_token)).body.error).toBe('invalid_grant');
  });

  it('SAML-I-2: a LogoutRequest whose query was altered after signing invalidates nothing', async () => {
    const session = await login('ivan');
    const query = (await idp.logoutRequest('ivan', 'relay-2')).replace('relay-2', 'relay-3');
    const response = await call(api, 'POST', '/_security/saml/invalidate', {
      auth: USERS.elastic,
      body: { realm: 'saml1', query_string: query },
    });
    expect(response.status).toBe(400);
    expect(await status(session.access_token)).toBe(200);
  });

  it('SAML-L-2: a password-grant token is not valid for a SAML realm', async () => {
    const password = await passwordGrant(api, USERS.tokenClient);
    const response = await call(api, 'POST', '/_security/saml/logout', {
      auth: USERS.elastic,
      body: { token: password.access_token },
    });
    expect(response.body).toEqual(esError('security_exception', 'Authenticating realm {default_file} is not a SAML realm', 400));
  });
});

describe('SAML: metadata, validation, privileges', () => {
  it('SAML-M-1, SAML-M-2: the SP metadata names the entity, the ACS, the logout service and the signing certificate', async () => {
    const { metadata } = await facilitator.security.samlServiceProviderMetadata({ realm_name: 'saml1' });
    expect(metadata).toContain(`entityID="${SP.entityId}"`);
    expect(metadata).toContain(`Location="${SP.acs}"`);
    expect(metadata).toContain(`Location="${SP.logout}"`);
    expect(metadata).toContain('WantAssertionsSigned="true"');
    const certificate = SP.certificate.replace(/-----[^-]+-----|\s/g, '');
    expect(metadata.replace(/\s/g, '')).toContain(certificate);
    const unknown = await call(api, 'GET', '/_security/saml/metadata/nope', { auth: USERS.elastic });
    expect(unknown.body).toEqual(esError('security_exception', 'Cannot find any matching realm for [nope]', 400));
  });

  it('SAML-P-1, SAML-P-2 (house rule 400), SAML-A-1, SAML-L-1, SAML-I-1, SAML-C-1, SAML-C-2: request validation and realm resolution', async () => {
    const post = (path: string, body: unknown) => call(api, 'POST', `/_security/saml/${path}`, { auth: USERS.elastic, body });
    expect((await post('prepare', { realm: 'nope' })).body).toEqual(
      esError('security_exception', 'Cannot find any matching realm for [realm=nope]', 400),
    );
    expect((await post('prepare', { acs: SP.acs })).body.realm).toBe('saml1');
    expect((await post('logout', {})).body.error.reason).toBe('Validation Failed: 1: token is missing;');
    expect((await post('invalidate', {})).body.error.reason).toBe('Validation Failed: 1: query_string is missing;');
    expect((await post('complete_logout', {})).body.error.reason).toBe(
      'Validation Failed: 1: realm may not be empty;2: query_string and content may not both be empty;',
    );
    expect((await post('authenticate', { content: '%%%', ids: [] })).status).toBe(400);
    expect((await post('authenticate', { content: 'PGE+', ids: [], extra: 1 })).body.error.type).toBe(
      'x_content_parse_exception',
    );
  });

  it('SAML-A-4: a Response from the IdP replayed with the same ids is the generic 401 and creates no pair', async () => {
    const { documents } = testClients();
    const answer = await loginAt('myuser');
    expect((await facilitator.security.samlAuthenticate(answer)).username).toBe('myuser');
    const pairs = await pairCount(documents, api.tokensTable);
    const replay = await call(api, 'POST', '/_security/saml/authenticate', { auth: USERS.elastic, body: answer });
    expect(replay.body).toEqual(esError('security_exception', FAILED, 401));
    expect(await pairCount(documents, api.tokensTable)).toBe(pairs);
  });

  it('SAML-A-2, COMMON-6: a Response that answers none of the ids is the generic 401', async () => {
    const body = await loginAt('judy');
    const response = await call(api, 'POST', '/_security/saml/authenticate', { auth: USERS.elastic, body: { ...body, ids: [] } });
    expect(response.body).toEqual(esError('security_exception', FAILED, 401));
  });

  it('COMMON-2: the APIs need manage_saml', async () => {
    const response = await call(api, 'POST', '/_security/saml/prepare', { auth: USERS.tokenClient, body: { realm: 'saml1' } });
    expect(response.status).toBe(403);
    expect(response.body.error.reason).toMatch(/granted by the cluster privileges \[manage_saml,manage_security,all\]$/);
  });
});
