import { MINUTE } from '../support/clock';
import { USERS } from '../support/file-realm';
import { type Auth, call, passwordGrant, startTestApi, type TestApi } from '../support/test-api';

const TOKEN = '/_security/oauth2/token';
let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const post = (body: unknown, auth: Auth = USERS.elastic) => call(api, 'POST', TOKEN, { auth, body });

describe('POST /_security/oauth2/token over HTTP', () => {
  describe('validation (OAuth2 error form)', () => {
    it.each([
      [
        {},
        'unsupported_grant_type',
        'Validation Failed: 1: grant_type only supports the values: [password, _kerberos, refresh_token, client_credentials];',
      ],
      [
        { grant_type: 'foo' },
        'unsupported_grant_type',
        'Validation Failed: 1: grant_type only supports the values: [password, _kerberos, refresh_token, client_credentials];',
      ],
      [{ grant_type: 'password' }, 'invalid_request', 'Validation Failed: 1: username is missing;2: password is missing;'],
      [{ grant_type: 'password', username: 'u' }, 'invalid_request', 'Validation Failed: 1: password is missing;'],
      [
        { grant_type: 'password', username: 'u', password: 'p', refresh_token: 'r' },
        'unsupported_grant_type',
        'Validation Failed: 1: refresh_token is not supported with the password grant_type;',
      ],
      [{ grant_type: 'refresh_token' }, 'invalid_request', 'Validation Failed: 1: refresh_token is missing;'],
      [
        { grant_type: 'client_credentials', username: 'u', password: 'p' },
        'unsupported_grant_type',
        'Validation Failed: 1: username is not supported with the client_credentials grant_type;2: password is not supported with the client_credentials grant_type;',
      ],
      [{ grant_type: '_kerberos' }, 'invalid_request', 'Validation Failed: 1: kerberos_ticket is missing;'],
    ])('GT-1..GT-5: %j is 400 %s', async (body, error, description) => {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error, error_description: description });
    });

    it('GT-1..GT-5: validation runs before authorization, so a caller without the privilege still gets the 400', async () => {
      const response = await post({ grant_type: 'password' }, USERS.reader);
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_request');
    });
  });

  describe('password grant', () => {
    it('GT-7, GT-11: returns access and refresh tokens, the configured expires_in and the user, fields in order', async () => {
      const response = await post({
        grant_type: 'password',
        username: USERS.tokenClient.username,
        password: USERS.tokenClient.password,
      });
      expect(response.status).toBe(200);
      expect(Object.keys(response.body)).toEqual(['access_token', 'type', 'expires_in', 'refresh_token', 'authentication']);
      expect(response.body).toMatchObject({ type: 'Bearer', expires_in: 1200 });
      expect(typeof response.body.access_token).toBe('string');
      expect(typeof response.body.refresh_token).toBe('string');
      expect(response.body.authentication).toEqual({
        username: 'token_client',
        roles: ['token_manager', 'monitoring'],
        full_name: null,
        email: null,
        metadata: {},
        enabled: true,
        authentication_realm: { name: 'default_file', type: 'file' },
        lookup_realm: { name: 'default_file', type: 'file' },
        authentication_type: 'realm',
      });
    });

    it('GT-7: the caller may get a token for another user; only the caller needs manage_token', async () => {
      const response = await post(
        { grant_type: 'password', username: USERS.reader.username, password: USERS.reader.password },
        USERS.tokenClient,
      );
      expect(response.status).toBe(200);
      expect(response.body.authentication.username).toBe('reader');
    });

    it.each([
      ['a wrong password', USERS.reader.username, 'wrong-password'],
      ['an unknown user', 'nobody', 'whatever-password'],
    ])('GT-7: %s is a 401 security_exception naming the user and the action', async (_name, username, password) => {
      const response = await post({ grant_type: 'password', username, password });
      expect(response.status).toBe(401);
      expect(response.body.error.type).toBe('security_exception');
      expect(response.body.error.reason).toBe(
        `unable to authenticate user [${username}] for action [cluster:admin/xpack/security/token/create]`,
      );
      expect(response.text).not.toContain(password);
    });

    it('GT-11: scope is answered only when requested, and then always "full"', async () => {
      const withScope = await post({
        grant_type: 'password',
        username: 'elastic',
        password: USERS.elastic.password,
        scope: 'read write',
      });
      expect(withScope.body.scope).toBe('full');
      expect(Object.keys(withScope.body)).toEqual([
        'access_token',
        'type',
        'expires_in',
        'refresh_token',
        'scope',
        'authentication',
      ]);
      const without = await post({ grant_type: 'password', username: 'elastic', password: USERS.elastic.password });
      expect(without.body).not.toHaveProperty('scope');
    });
  });

  describe('client_credentials grant', () => {
    it("GT-8, GT-11: a token for the caller's own identity, without a refresh token", async () => {
      const response = await post({ grant_type: 'client_credentials' }, USERS.tokenClient);
      expect(response.status).toBe(200);
      expect(Object.keys(response.body)).toEqual(['access_token', 'type', 'expires_in', 'authentication']);
      expect(response.body.authentication).toMatchObject({ username: 'token_client', authentication_type: 'realm' });
    });

    it('GT-11: a caller authenticated by token gets authentication_type token, its own type', async () => {
      const { access_token } = await passwordGrant(api, USERS.tokenClient);
      const response = await post({ grant_type: 'client_credentials' }, { bearer: access_token });
      expect(response.status).toBe(200);
      expect(response.body.authentication).toMatchObject({ username: 'token_client', authentication_type: 'token' });
    });
  });

  it('GT-10: a well-formed _kerberos request is a 401, no Kerberos realm being offered', async () => {
    const response = await post({ grant_type: '_kerberos', kerberos_ticket: 'YII=' });
    expect(response.status).toBe(401);
    expect(response.body.error).toMatchObject({
      type: 'security_exception',
      reason: 'unable to authenticate with provided credentials',
    });
  });

  it('ER-10: a caller without manage_token, manage_security or all is refused with 403', async () => {
    const response = await post({ grant_type: 'client_credentials' }, USERS.reader);
    expect(response.status).toBe(403);
    expect(response.body.error.type).toBe('security_exception');
    expect(response.body.error.reason).toBe(
      'action [cluster:admin/xpack/security/token/create] is unauthorized for user [reader] with effective roles [monitoring], this action is granted by the cluster privileges [manage_token,manage_security,all]',
    );
  });
});

describe('GT-12: configured timeout', () => {
  it.each([
    ['90s', 90],
    ['1h', 3600],
  ])('TOKEN_TIMEOUT=%s gives expires_in %d, and the token expires then', async (timeout, seconds) => {
    const custom = await startTestApi({ TOKEN_TIMEOUT: timeout });
    try {
      const { body } = await call(custom, 'POST', TOKEN, { auth: USERS.elastic, body: { grant_type: 'client_credentials' } });
      expect(body.expires_in).toBe(seconds);
      custom.clock.advance(seconds * 1000);
      expect((await call(custom, 'GET', '/_security/_authenticate', { auth: { bearer: body.access_token } })).status).toBe(200);
      custom.clock.advance(1);
      expect((await call(custom, 'GET', '/_security/_authenticate', { auth: { bearer: body.access_token } })).status).toBe(401);
    } finally {
      await custom.close();
    }
  });

  it('default is 20 minutes', async () => {
    const { body } = await post({ grant_type: 'client_credentials' });
    expect(body.expires_in * 1000).toBe(20 * MINUTE);
  });
});
