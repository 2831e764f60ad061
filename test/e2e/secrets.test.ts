import { scanAll, testClients } from '../support/dynamodb';
import { USERS } from '../support/file-realm';
import { captureLog } from '../support/log-capture';
import { call, esClient, startTestApi, type TestApi } from '../support/test-api';

/**
 * No token string, refresh token or password is ever stored or logged: run every flow with the log
 * at its most verbose, then look for each secret the run used in the table and in every log line.
 */
describe('secrets stay out of storage and logs', () => {
  let api: TestApi;
  let log: ReturnType<typeof captureLog>;

  beforeAll(async () => {
    api = await startTestApi();
    log = captureLog();
  });
  afterAll(async () => {
    await api.close();
  });

  it('neither the table nor the log holds a token, a refresh token or a password', async () => {
    const secrets: string[] = [USERS.elastic.password, USERS.tokenClient.password, USERS.reader.password];
    const client = esClient(api, USERS.elastic);

    const password = await client.security.getToken({
      grant_type: 'password',
      username: 'token_client',
      password: USERS.tokenClient.password,
    });
    const credentials = await esClient(api, USERS.tokenClient).security.getToken({ grant_type: 'client_credentials' });
    secrets.push(password.access_token, password.refresh_token as string, credentials.access_token);
    await esClient(api, { bearer: password.access_token }).security.authenticate();

    // Failures too: wrong passwords, a mangled body carrying a password, a bad token, an expired one.
    await call(api, 'POST', '/_security/oauth2/token', {
      auth: USERS.elastic,
      body: { grant_type: 'password', username: 'token_client', password: 'not-the-password-123' },
    });
    await call(api, 'POST', '/_security/oauth2/token', { auth: { username: 'elastic', password: 'wrong-basic-456' }, body: {} });
    await call(api, 'POST', '/_security/oauth2/token', { auth: USERS.elastic, rawBody: '{"password":"in-broken-json-789"' });
    await call(api, 'GET', '/_security/_authenticate', { auth: { bearer: `${password.access_token}x` } });
    api.clock.advance(3_600_000);
    await call(api, 'GET', '/_security/_authenticate', { auth: { bearer: password.access_token } });
    secrets.push('not-the-password-123', 'wrong-basic-456', 'in-broken-json-789');

    const { documents } = testClients();
    const table = JSON.stringify(await scanAll(documents, api.tokensTable));
    const logged = log.lines();
    expect(logged).toContain('"path":"/_security/oauth2/token"'); // the log was captured, at DEBUG
    for (const secret of secrets) {
      expect(table).not.toContain(secret);
      expect(logged).not.toContain(secret);
    }
  });
});
