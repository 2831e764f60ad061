import { USERS } from '../support/file-realm';
import { MALFORMED_TOKEN, NEVER_ISSUED, withOtherSecret } from '../support/never-issued';
import { call, esClient, passwordGrant, startTestApi, type TestApi } from '../support/test-api';

const TOKEN = '/_security/oauth2/token';
let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const invalidate = (body: unknown, auth = USERS.elastic as { username: string; password: string }) =>
  call(api, 'DELETE', TOKEN, { auth, body });
const zero = { invalidated_tokens: 0, previously_invalidated_tokens: 0, error_count: 0 };

describe('DELETE /_security/oauth2/token over HTTP', () => {
  it('IV-1: token and refresh_token together is the exact x_content_parse_exception', async () => {
    const response = await invalidate({ token: 'a', refresh_token: 'b' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: {
        root_cause: [
          { type: 'x_content_parse_exception', reason: 'Failed to build [invalidate_token] after last required field arrived' },
        ],
        type: 'x_content_parse_exception',
        reason: 'Failed to build [invalidate_token] after last required field arrived',
        caused_by: { type: 'illegal_argument_exception', reason: 'only one of [token, refresh_token] may be sent per request' },
      },
      status: 400,
    });
  });

  const validationError = (reason: string) => ({
    error: {
      root_cause: [{ type: 'action_request_validation_exception', reason }],
      type: 'action_request_validation_exception',
      reason,
    },
    status: 400,
  });

  it.each([
    { token: 'a', realm_name: 'r' },
    { refresh_token: 'a', username: 'u' },
  ])('IV-2: %j is the exact validation error', async (body) => {
    const response = await invalidate(body);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(
      validationError(
        'Validation Failed: 1: token string must not be provided when realm name or username is specified;2: token type must not be provided when realm name or username is specified;',
      ),
    );
  });

  it.each([{}, { username: '' }, { token: '' }, { realm_name: '   ' }])(
    'IV-3: %j is the exact validation error',
    async (body) => {
      const response = await invalidate(body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual(
        validationError('Validation Failed: 1: token string must be provided when not specifying a realm name or a username;'),
      );
    },
  );

  it('ER-6: an unknown field names the invalidate_token parser', async () => {
    const response = await invalidate({ token: 'a', tokn: 'b' });
    expect(response.status).toBe(400);
    expect(response.body.error.reason).toMatch(/^\[1:\d+\] \[invalidate_token\] unknown field \[tokn\]$/);
  });

  it('ER-4: no body is 400 request body is required', async () => {
    const response = await call(api, 'DELETE', TOKEN, { auth: USERS.elastic });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ type: 'parse_exception', reason: 'request body is required' });
  });

  it('ER-10: invalidating needs a token privilege', async () => {
    const response = await invalidate({ username: 'someone' }, USERS.reader);
    expect(response.status).toBe(403);
    expect(response.body.error.reason).toMatch(
      /^action \[cluster:admin\/xpack\/security\/token\/invalidate\] is unauthorized for user \[reader\]/,
    );
  });

  it('IV-4, IV-5: an access token counts 1, then 1 previously', async () => {
    const pair = await passwordGrant(api, USERS.tokenClient);
    const first = await invalidate({ token: pair.access_token });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ invalidated_tokens: 1, previously_invalidated_tokens: 0, error_count: 0 });
    expect((await invalidate({ token: pair.access_token })).body).toEqual({
      invalidated_tokens: 0,
      previously_invalidated_tokens: 1,
      error_count: 0,
    });
    expect((await call(api, 'GET', '/_security/_authenticate', { auth: { bearer: pair.access_token } })).status).toBe(401);
  });

  it.each([
    ['a well-formed access token that was never issued', { token: NEVER_ISSUED.accessToken }],
    ['a well-formed refresh token that was never issued', { refresh_token: NEVER_ISSUED.refreshToken }],
    ['a malformed token', { token: MALFORMED_TOKEN }],
  ])('IV-7: %s is 404 with zero counts', async (_name, body) => {
    const response = await invalidate(body);
    expect(response.status).toBe(404);
    expect(response.body).toEqual(zero);
  });

  it('IV-7: an issued access token with another secret is 404 and leaves the pair valid', async () => {
    const pair = await passwordGrant(api, USERS.elastic);
    const response = await invalidate({ token: withOtherSecret(pair.access_token) });
    expect(response.status).toBe(404);
    expect(response.body).toEqual(zero);
    expect((await call(api, 'GET', '/_security/_authenticate', { auth: { bearer: pair.access_token } })).status).toBe(200);
  });

  it('IV-9: a realm with no tokens is 200 with zero counts', async () => {
    const response = await invalidate({ realm_name: 'no_such_realm' });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(zero);
  });

  it('the official client invalidates by token, refresh_token, realm_name and username', async () => {
    const client = esClient(api, USERS.elastic);
    const grant = () => client.security.getToken({ grant_type: 'password', username: 'reader', password: USERS.reader.password });

    const byToken = await grant();
    expect(await client.security.invalidateToken({ token: byToken.access_token })).toMatchObject({ invalidated_tokens: 1 });
    const byRefresh = await grant();
    expect(await client.security.invalidateToken({ refresh_token: byRefresh.refresh_token as string })).toMatchObject({
      invalidated_tokens: 1,
    });

    // byToken's refresh half and byRefresh's access half are live, the new pair fully: 4, and 2 previously.
    await grant();
    expect(await client.security.invalidateToken({ username: 'reader' })).toMatchObject({
      invalidated_tokens: 4,
      previously_invalidated_tokens: 2,
    });
    await grant();
    expect(await client.security.invalidateToken({ realm_name: 'default_file', username: 'reader' })).toMatchObject({
      invalidated_tokens: 2,
    });
    // Other tests of this file left live halves in default_file: clear them, then count one fresh pair.
    await client.security.invalidateToken({ realm_name: 'default_file' });
    await grant();
    expect(await client.security.invalidateToken({ realm_name: 'default_file' })).toMatchObject({ invalidated_tokens: 2 });
  });
});

describe('IV-10: the time budget over HTTP', () => {
  it('answers partial counts with a Warning header, and every matching token is unusable shortly after', async () => {
    const tight = await startTestApi({ INVALIDATION_BUDGET: '0s', INVALIDATION_PAGE_SIZE: '2' });
    try {
      const pairs = await Promise.all(Array.from({ length: 60 }, () => passwordGrant(tight, USERS.tokenClient)));
      const response = await call(tight, 'DELETE', TOKEN, { auth: USERS.elastic, body: { username: 'token_client' } });
      expect(response.status).toBe(200);
      expect(response.body.invalidated_tokens).toBeLessThan(120);
      expect(response.headers.get('warning')).toMatch(/^299 Elasticsearch-[^ ]+ ".*continues in the background/);

      await (tight.service.continuation as unknown as { idle(): Promise<void> }).idle();
      for (const pair of pairs) {
        expect((await call(tight, 'GET', '/_security/_authenticate', { auth: { bearer: pair.access_token } })).status).toBe(401);
      }
    } finally {
      await tight.close();
    }
  });

  it('the official client reports the warning', async () => {
    const tight = await startTestApi({ INVALIDATION_BUDGET: '0s', INVALIDATION_PAGE_SIZE: '1' });
    try {
      await Promise.all(Array.from({ length: 40 }, () => passwordGrant(tight, USERS.tokenClient)));
      const result = await esClient(tight, USERS.elastic).security.invalidateToken({ username: 'token_client' }, { meta: true });
      expect(result.warnings?.[0]).toMatch(/continues in the background/);
      await (tight.service.continuation as unknown as { idle(): Promise<void> }).idle();
    } finally {
      await tight.close();
    }
  });
});

/**
 * The scenarios of Elasticsearch's REST YAML tests for the token API (x-pack `token/10_basic.yml`): a native
 * `token_user`, a password grant, then invalidation by username, by realm, and by both, with the counts those
 * tests expect. The watermark makes the token unusable; the counts are still the sweep's.
 */
describe('IV-8: the REST YAML scenarios of Elasticsearch (official client)', () => {
  const tokenUser = { username: 'token_user', password: 'x-pack-test-password' };
  const scenarios = [
    { name: "Test invalidate user's tokens", scope: { username: 'token_user' } },
    { name: "Test invalidate realm's tokens", scope: { realm_name: 'default_native' } },
    { name: "Test invalidate user's tokens in realm", scope: { username: 'token_user', realm_name: 'default_native' } },
  ];

  it.each(scenarios)(
    '$name: invalidated_tokens 2, previously 0, no errors; the token no longer authenticates',
    async ({ scope }) => {
      // Each scenario starts a moment after the last one's invalidation, as it does in Elasticsearch's run.
      api.clock.advance(1);
      const admin = esClient(api, USERS.elastic);
      await admin.security.putUser({
        username: tokenUser.username,
        password: tokenUser.password,
        roles: ['superuser'],
        full_name: 'Token User',
      });
      const token = await admin.security.getToken({ grant_type: 'password', ...tokenUser });
      expect(token.type).toBe('Bearer');
      const asToken = esClient(api, { bearer: token.access_token as string });
      expect(await asToken.security.authenticate()).toMatchObject({ username: 'token_user' });

      expect(await admin.security.invalidateToken(scope)).toEqual({
        invalidated_tokens: 2,
        previously_invalidated_tokens: 0,
        error_count: 0,
      });
      await expect(asToken.security.authenticate()).rejects.toMatchObject({ meta: { statusCode: 401 } });
      // Nothing left: a second invalidation of the same scope finds no active token.
      expect(await admin.security.invalidateToken(scope)).toEqual({
        invalidated_tokens: 0,
        previously_invalidated_tokens: 0,
        error_count: 0,
      });
    },
  );
});
