import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { createHandler } from '../../functions/handlers/authenticate';
import { PAIR_LIFETIME_MS } from '../../functions/tokens/token-pair';
import { MINUTE } from '../support/clock';
import { USERS } from '../support/file-realm';
import { NEVER_ISSUED, withOtherSecret } from '../support/never-issued';
import { authorizationHeader, call, passwordGrant, startTestApi, type TestApi } from '../support/test-api';

const AUTHENTICATE = '/_security/_authenticate';
let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const EXPIRED_CHALLENGE = 'Bearer realm="security", error="invalid_token", error_description="The access token expired"';

describe('GET /_security/_authenticate over HTTP', () => {
  it('AU-1, AU-3: Basic returns the authentication object, keys in order', async () => {
    const response = await call(api, 'GET', AUTHENTICATE, { auth: USERS.elastic });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      username: 'elastic',
      roles: ['superuser'],
      full_name: null,
      email: null,
      metadata: { _reserved: true },
      enabled: true,
      authentication_realm: { name: 'reserved', type: 'reserved' },
      lookup_realm: { name: 'reserved', type: 'reserved' },
      authentication_type: 'realm',
    });
    expect(Object.keys(response.body)).toEqual([
      'username',
      'roles',
      'full_name',
      'email',
      'metadata',
      'enabled',
      'authentication_realm',
      'lookup_realm',
      'authentication_type',
    ]);
  });

  it('AU-1: a Bearer access token authenticates as its user with authentication_type token', async () => {
    const { access_token, authentication } = await passwordGrant(api, USERS.tokenClient);
    const response = await call(api, 'GET', AUTHENTICATE, { auth: { bearer: access_token } });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ...authentication, authentication_type: 'token' });
  });

  it("AU-2: an access token authenticates any endpoint with its user's roles", async () => {
    const admin = await passwordGrant(api, USERS.tokenClient);
    const asAdmin = await call(api, 'POST', '/_security/oauth2/token', {
      auth: { bearer: admin.access_token },
      body: { grant_type: 'client_credentials' },
    });
    expect(asAdmin.status).toBe(200);
    const reader = await passwordGrant(api, USERS.reader);
    const asReader = await call(api, 'POST', '/_security/oauth2/token', {
      auth: { bearer: reader.access_token },
      body: { grant_type: 'client_credentials' },
    });
    expect(asReader.status).toBe(403);
  });

  it('AU-4: an expired access token is 401 token expired with the invalid_token challenge', async () => {
    const { access_token } = await passwordGrant(api, USERS.tokenClient);
    api.clock.advance(20 * MINUTE + 1);
    const response = await call(api, 'GET', AUTHENTICATE, { auth: { bearer: access_token } });
    expect(response.status).toBe(401);
    expect(response.body.error).toMatchObject({ type: 'security_exception', reason: 'token expired' });
    expect(response.headers.get('www-authenticate')).toBe(EXPIRED_CHALLENGE);
  });

  it.each([
    ['garbage', async () => 'not-a-token'],
    ['a well-formed token nobody issued', async () => `A${'Q'.repeat(65)}`],
    ['another well-formed token nobody issued', async () => NEVER_ISSUED.accessToken],
    [
      'an issued access token with another secret',
      async () => withOtherSecret((await passwordGrant(api, USERS.tokenClient)).access_token),
    ],
  ])('AU-5: %s is 401 with the oauth2 invalid token detail', async (_name, token) => {
    const response = await call(api, 'GET', AUTHENTICATE, { auth: { bearer: await token() } });
    expect(response.status).toBe(401);
    expect(response.body.error).toMatchObject({
      type: 'security_exception',
      reason: 'unable to authenticate with provided credentials and anonymous access is not allowed for this request',
      additional_unsuccessful_credentials: 'oauth2 token: invalid token',
    });
  });

  it('AU-6: a pair past 24 h is unknown, not expired, although the table still holds it', async () => {
    const { access_token } = await passwordGrant(api, USERS.tokenClient);
    api.clock.advance(PAIR_LIFETIME_MS + 1);
    const response = await call(api, 'GET', AUTHENTICATE, { auth: { bearer: access_token } });
    expect(response.status).toBe(401);
    expect(response.body.error.additional_unsuccessful_credentials).toBe('oauth2 token: invalid token');
  });
});

describe('GET /_security/_authenticate as a Lambda event', () => {
  it('AU-1: a hand-made event (a console test event: no `resource`, no request context) is answered as over HTTP', async () => {
    // The handler is given its registry entry: nothing is looked up by the route the event names.
    const event = {
      httpMethod: 'GET',
      path: AUTHENTICATE,
      headers: authorizationHeader(USERS.elastic),
      queryStringParameters: null,
      body: null,
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEvent;
    const response = await createHandler(() => api.service)(event, {} as Context);
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ username: 'elastic', roles: ['superuser'] });
  });
});
