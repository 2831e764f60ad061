import { SSO_METADATA_MAX_BYTES, SSO_PRINCIPAL_MAX_BYTES } from '../../functions/security/authc/sso-user';
import { USERS } from '../support/file-realm';
import { kibanaClient, OIDC_AUTHENTICATION_FAILED, type OidcRealmApi, startOidcRealmApi } from '../support/oidc-realm-api';
import { call, type TestApi } from '../support/test-api';

/**
 * COMMON-9: whatever principal and claims a real identity provider sends, the login ends within the contract:
 * a pair for a long principal (the username index is keyed by a digest, not the name), a pair that keeps what
 * fits of large claims, and the generic 401 for a principal too long to keep; never a storage error. Against
 * the loopback OpenID Provider, over HTTP.
 */
const FAILED = OIDC_AUTHENTICATION_FAILED;

let realm: OidcRealmApi;
let api: TestApi;

beforeAll(async () => {
  realm = await startOidcRealmApi(kibanaClient('large-identity'));
  ({ api } = realm);
});
afterAll(() => realm?.close());

/** Logs `login` in at the provider and calls oidc/authenticate with what it answered. */
const logIn = (login: string) => realm.logIn(login);

const authenticateWith = (accessToken: string) => call(api, 'GET', '/_security/_authenticate', { auth: { bearer: accessToken } });

describe('single sign-on with a long principal or large claims (loopback OpenID Provider)', () => {
  it('COMMON-9, IV-8: a 3,000-byte sub gets a pair that authenticates, refreshes and is invalidated by username', async () => {
    const principal = `long-${'p'.repeat(2_995)}`;
    const login = await logIn(principal);
    expect(login.status).toBe(200);
    expect(login.body.username).toBe(principal);
    const me = await authenticateWith(login.body.access_token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: principal, metadata: { 'oidc(sub)': principal } });

    const refreshed = await call(api, 'POST', '/_security/oauth2/token', {
      auth: USERS.elastic,
      body: { grant_type: 'refresh_token', refresh_token: login.body.refresh_token },
    });
    expect(refreshed.status).toBe(200);
    const invalidated = await call(api, 'DELETE', '/_security/oauth2/token', {
      auth: USERS.elastic,
      body: { username: principal },
    });
    expect(invalidated.status).toBe(200);
    // Both halves of the first pair (its refresh token used but not invalidated) and of its successor.
    expect(invalidated.body).toMatchObject({ invalidated_tokens: 4, error_count: 0 });
    expect((await authenticateWith(refreshed.body.access_token)).status).toBe(401);
    api.clock.advance(1_000);
  });

  it('COMMON-9: about 600 KB of claims get a pair that keeps the metadata that fits and leaves the rest out', async () => {
    const login = await logIn('carol*600000');
    expect(login.status).toBe(200);
    const me = await authenticateWith(login.body.access_token);
    expect(me.status).toBe(200);
    expect(me.body.metadata).toMatchObject({
      'oidc(sub)': 'carol*600000',
      'oidc(email)': 'carol@example.com',
      'oidc(name)': 'User carol',
    });
    expect(me.body.metadata).not.toHaveProperty(['oidc(notes)']);
    expect(me.body.full_name).toBe('User carol');
    expect(Buffer.byteLength(JSON.stringify(me.body.metadata))).toBeLessThanOrEqual(SSO_METADATA_MAX_BYTES);
  });

  it('COMMON-9, COMMON-6: a principal longer than any kept is the generic 401, not a storage error', async () => {
    const login = await logIn('q'.repeat(SSO_PRINCIPAL_MAX_BYTES + 1));
    expect(login.status).toBe(401);
    expect(login.body.error).toMatchObject({ type: 'security_exception', reason: FAILED });
  });
});
