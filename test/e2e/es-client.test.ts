import { errors } from '@elastic/elasticsearch';
import { USERS } from '../support/file-realm';
import { esClient, startTestApi, type TestApi } from '../support/test-api';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

describe('the official @elastic/elasticsearch client, unchanged', () => {
  it('GT-7, AU-1: getToken with the password grant, then authenticate with the token', async () => {
    const client = esClient(api, USERS.elastic);
    const token = await client.security.getToken({
      grant_type: 'password',
      username: USERS.tokenClient.username,
      password: USERS.tokenClient.password,
    });
    expect(token.type).toBe('Bearer');
    expect(token.expires_in).toBe(1200);
    expect(token.refresh_token).toEqual(expect.any(String));
    expect(token.authentication.username).toBe('token_client');

    const me = await esClient(api, { bearer: token.access_token }).security.authenticate();
    expect(me.username).toBe('token_client');
    expect(me.authentication_type).toBe('token');
    expect(me.authentication_realm).toEqual({ name: 'default_file', type: 'file' });
  });

  it('GT-8: getToken with client_credentials returns no refresh token', async () => {
    const token = await esClient(api, USERS.tokenClient).security.getToken({ grant_type: 'client_credentials' });
    expect(token.refresh_token).toBeUndefined();
    expect(token.authentication.username).toBe('token_client');
  });

  it('AU-1: authenticate with Basic credentials', async () => {
    const me = await esClient(api, USERS.elastic).security.authenticate();
    expect(me).toMatchObject({ username: 'elastic', roles: ['superuser'], authentication_type: 'realm' });
  });

  it('GT-7: a wrong password is thrown as a ResponseError with status 401', async () => {
    const error = await esClient(api, USERS.elastic)
      .security.getToken({ grant_type: 'password', username: 'token_client', password: 'wrong-password' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errors.ResponseError);
    expect((error as errors.ResponseError).statusCode).toBe(401);
    expect((error as errors.ResponseError).body).toMatchObject({ error: { type: 'security_exception' } });
  });

  it('GT-1: a validation failure is thrown as a ResponseError with the OAuth2 body', async () => {
    const error = await esClient(api, USERS.elastic)
      .security.getToken({ grant_type: 'password' })
      .catch((e: unknown) => e);
    expect((error as errors.ResponseError).statusCode).toBe(400);
    expect((error as errors.ResponseError).body).toEqual({
      error: 'invalid_request',
      error_description: 'Validation Failed: 1: username is missing;2: password is missing;',
    });
  });

  it('AU-4: an expired token is thrown as a 401 ResponseError', async () => {
    const token = await esClient(api, USERS.elastic).security.getToken({ grant_type: 'client_credentials' });
    api.clock.advance(token.expires_in * 1000 + 1);
    const error = await esClient(api, { bearer: token.access_token })
      .security.authenticate()
      .catch((e: unknown) => e);
    expect((error as errors.ResponseError).statusCode).toBe(401);
    expect((error as errors.ResponseError).body.error.reason).toBe('token expired');
  });
});
