import { loadConfig } from '../../functions/config';
import { createService } from '../../functions/service';
import { createDynamoDbClient, STORAGE_ANSWER_BOUND_MS } from '../../functions/store/dynamodb-client';
import { ROLES_TABLE, TOKENS_TABLE, USERS_TABLE } from '../../functions/store/tables';
import { ensureTable } from '../../infra/local/bootstrap';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { type LocalApi, startLocalApi } from '../../infra/local/server';
import { TEST_JAVA_OPTIONS, TEST_REGION } from '../support/dynamodb';
import { USERS } from '../support/file-realm';
import { type Auth, call } from '../support/test-api';

/**
 * ER-11 under an outage: a DynamoDB that accepts connections and then answers nothing (DynamoDB Local
 * stopped with SIGSTOP, the shape of a network partition or a hung endpoint). Every API must answer 503 in
 * Elasticsearch's shape, with Retry-After, before STORAGE_ANSWER_BOUND_MS (docs/operations.md), well under
 * API Gateway's 29 s. The bound is the contract's limit, not a measurement of speed.
 * This file runs its own DynamoDB Local: freezing the shared one would stall every other test file.
 */
describe('every API against a frozen DynamoDB (ER-11, bounded waits)', () => {
  const native = { username: 'frozen_native', password: 'frozen-native-password' };
  let dynamodb: DynamoDbLocal;
  let api: LocalApi;
  let bearer: string;

  beforeAll(async () => {
    dynamodb = await startDynamoDbLocal({ javaOptions: TEST_JAVA_OPTIONS });
    const client = createDynamoDbClient({ region: TEST_REGION, endpoint: dynamodb.endpoint });
    await ensureTable(client, TOKENS_TABLE, 'es-tokens');
    await ensureTable(client, USERS_TABLE, 'es-users');
    await ensureTable(client, ROLES_TABLE, 'es-roles');
    const config = loadConfig({
      AWS_REGION: TEST_REGION,
      DYNAMODB_ENDPOINT: dynamodb.endpoint,
      ELASTIC_PASSWORD: USERS.elastic.password,
      INVALIDATION_SETTLE: '0s',
    });
    api = await startLocalApi(createService(config), { port: 0 });
    const created = await call(api, 'PUT', `/_security/user/${native.username}`, {
      auth: USERS.elastic,
      body: { password: native.password, roles: ['superuser'] },
    });
    expect(created.status).toBe(200);
    const token = await call(api, 'POST', '/_security/oauth2/token', {
      auth: USERS.elastic,
      body: { grant_type: 'client_credentials' },
    });
    bearer = token.body.access_token;
  }, 90_000);

  afterAll(async () => {
    dynamodb.process.kill('SIGCONT');
    await api?.close();
    await dynamodb?.stop();
  });

  const elastic: Auth = USERS.elastic;
  const requests: [string, string, string, Auth, unknown?][] = [
    ['get token', 'POST', '/_security/oauth2/token', elastic, { grant_type: 'client_credentials' }],
    ['authenticate a token', 'GET', '/_security/_authenticate', { bearer: '' }],
    ['authenticate a native user', 'GET', '/_security/_authenticate', native],
    ['invalidate a token', 'DELETE', '/_security/oauth2/token', elastic, { token: '' }],
    ['invalidate a realm', 'DELETE', '/_security/oauth2/token', elastic, { realm_name: 'reserved' }],
    ['put user', 'PUT', '/_security/user/someone', elastic, { password: 'someone-password', roles: [] }],
    ['get users', 'GET', '/_security/user', elastic],
    ['get a user', 'GET', `/_security/user/${native.username}`, elastic],
    ['delete user', 'DELETE', '/_security/user/someone', elastic],
    ['change password', 'POST', `/_security/user/${native.username}/_password`, elastic, { password: 'another-password' }],
    ['disable user', 'PUT', `/_security/user/${native.username}/_disable`, elastic],
    ['put role', 'PUT', '/_security/role/some_role', elastic, { cluster: ['manage_token'] }],
    ['get roles', 'GET', '/_security/role', elastic],
    ['delete role', 'DELETE', '/_security/role/some_role', elastic],
  ];

  it('answers every API within the bound: 503 unavailable_shards_exception with Retry-After, then recovers', async () => {
    // Act: freeze the storage, send every request at once.
    dynamodb.process.kill('SIGSTOP');
    const answers = await Promise.all(
      requests.map(async ([name, method, path, auth, body]) => {
        const withToken = auth !== undefined && 'bearer' in auth ? { bearer } : auth;
        const withBody = body !== undefined && 'token' in (body as object) ? { token: bearer } : body;
        const started = performance.now();
        const result = await call(api, method, path, { auth: withToken, body: withBody });
        return { name, result, elapsedMs: performance.now() - started };
      }),
    );
    dynamodb.process.kill('SIGCONT');

    // Assess. A realm-wide invalidation is a 503 too: its watermark (written before any sweep) could not be,
    // so it has promised nothing, and the client's retry is the way on.
    for (const { name, result, elapsedMs } of answers) {
      expect({ name, withinBound: elapsedMs < STORAGE_ANSWER_BOUND_MS }).toEqual({ name, withinBound: true });
      expect({
        name,
        status: result.status,
        type: result.body?.error?.type,
        retryAfter: result.headers.get('retry-after'),
      }).toEqual({
        name,
        status: 503,
        type: 'unavailable_shards_exception',
        retryAfter: '1',
      });
      expect(result.body).toMatchObject({ status: 503, error: { root_cause: [{ type: 'unavailable_shards_exception' }] } });
    }
    // The frozen process still holds the requests it received (the invalidation among them) and applies them
    // once resumed, as a lost reply would be: the check of recovery is a new grant, not the old token.
    const after = await call(api, 'POST', '/_security/oauth2/token', {
      auth: USERS.elastic,
      body: { grant_type: 'client_credentials' },
    });
    expect(after.status).toBe(200);
  }, 60_000);
});
