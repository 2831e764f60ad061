import { scanAll, testClients } from '../support/dynamodb';
import { USERS } from '../support/file-realm';
import { MALFORMED_TOKEN, NEVER_ISSUED, withOtherSecret } from '../support/never-issued';
import { type Credentials, call, esClient, passwordGrant, startTestApi, type TestApi } from '../support/test-api';

const TOKEN = '/_security/oauth2/token';
let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const refresh = (refreshToken: string, auth: Credentials = USERS.elastic) =>
  call(api, 'POST', TOKEN, { auth, body: { grant_type: 'refresh_token', refresh_token: refreshToken } });

describe('refresh_token grant over HTTP', () => {
  it('GT-9, GT-11: answers a new pair, fields in order, authentication_type token', async () => {
    const pair = await passwordGrant(api, USERS.tokenClient);
    const response = await refresh(pair.refresh_token);
    expect(response.status).toBe(200);
    expect(Object.keys(response.body)).toEqual(['access_token', 'type', 'expires_in', 'refresh_token', 'authentication']);
    expect(response.body).toMatchObject({ type: 'Bearer', expires_in: 1200 });
    expect(response.body.access_token).not.toBe(pair.access_token);
    expect(response.body.authentication).toEqual({ ...pair.authentication, authentication_type: 'token' });
  });

  it('AU-2: the new access token works at once', async () => {
    const pair = await passwordGrant(api, USERS.tokenClient);
    const { body } = await refresh(pair.refresh_token);
    const me = await call(api, 'GET', '/_security/_authenticate', { auth: { bearer: body.access_token } });
    expect(me.status).toBe(200);
    expect(me.body.username).toBe('token_client');
  });

  it.each([
    ['a well-formed refresh token that was never issued', () => NEVER_ISSUED.refreshToken],
    [
      'the refresh token of an issued pair with another secret',
      async () => withOtherSecret((await passwordGrant(api, USERS.elastic)).refresh_token),
    ],
    ['a malformed refresh token', () => MALFORMED_TOKEN],
  ])('RF-2: %s is 400 invalid_grant', async (_name, token) => {
    const response = await refresh(await token());
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'invalid_grant', error_description: 'could not refresh the requested token' });
  });

  it('RF-5: only the creating client may refresh, not the user whose password was sent', async () => {
    const pair = await passwordGrant(api, USERS.tokenClient, USERS.elastic);
    const response = await refresh(pair.refresh_token, USERS.tokenClient);
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: 'invalid_grant',
      error_description: 'tokens must be refreshed by the creating client',
    });
  });

  it('RF-5: a client authenticated by its own token is still the same client', async () => {
    const creator = await passwordGrant(api, USERS.tokenClient, USERS.elastic);
    const pair = await passwordGrant(api, USERS.reader, USERS.tokenClient);
    const response = await call(api, 'POST', TOKEN, {
      auth: { bearer: creator.access_token },
      body: { grant_type: 'refresh_token', refresh_token: pair.refresh_token },
    });
    expect(response.status).toBe(200);
    expect(response.body.authentication.username).toBe('reader');
  });

  it('ER-10: refreshing needs a token privilege; the 403 names the refresh action', async () => {
    const pair = await passwordGrant(api, USERS.reader, USERS.elastic);
    const response = await refresh(pair.refresh_token, USERS.reader);
    expect(response.status).toBe(403);
    expect(response.body.error.reason).toMatch(
      /^action \[cluster:admin\/xpack\/security\/token\/refresh\] is unauthorized for user \[reader\]/,
    );
  });

  it('RF-6, RF-8: 25 simultaneous refreshes all answer 200 with the same tokens, and one new pair exists', async () => {
    const pair = await passwordGrant(api, USERS.tokenClient);
    const { documents } = testClients();
    const before = (await scanAll(documents, api.tokensTable)).length;
    const responses = await Promise.all(Array.from({ length: 25 }, () => refresh(pair.refresh_token)));
    expect(responses.map((r) => r.status)).toEqual(Array(25).fill(200));
    expect(new Set(responses.map((r) => r.body.access_token)).size).toBe(1);
    expect(new Set(responses.map((r) => r.body.refresh_token)).size).toBe(1);
    expect((await scanAll(documents, api.tokensTable)).length).toBe(before + 1);
  });

  it('GT-9: the official client refreshes with grant_type refresh_token', async () => {
    const client = esClient(api, USERS.elastic);
    const first = await client.security.getToken({
      grant_type: 'password',
      username: 'token_client',
      password: USERS.tokenClient.password,
    });
    const refreshed = await client.security.getToken({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token as string,
    });
    expect(refreshed.access_token).not.toBe(first.access_token);
    expect(refreshed.authentication.authentication_type).toBe('token');
    const me = await esClient(api, { bearer: refreshed.access_token }).security.authenticate();
    expect(me.username).toBe('token_client');
  });
});
