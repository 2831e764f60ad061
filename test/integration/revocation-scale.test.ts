import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { REALM_SPREAD } from '../../functions/store/dynamodb-revocations';
import { DynamoDbTokenStore } from '../../functions/store/dynamodb-token-store';
import { userDigest } from '../../functions/tokens/scope-digest';
import { itemBytes } from '../bench/item-size';
import { Meter, MeteredClient } from '../bench/metered-client';
import { testClients } from '../support/dynamodb';
import { USERS } from '../support/file-realm';
import { call, passwordGrant, startTestApi, type TestApi } from '../support/test-api';

/**
 * DESIGN §6, §7: what one token use reads is bounded by its own scopes, never by how many others were
 * revoked. Over HTTP against the local API on DynamoDB Local, its DynamoDB client wrapped to ask for
 * ReturnConsumedCapacity on every call; the watermarks of other users are written through the store port.
 */
const TOKEN = '/_security/oauth2/token';
const OTHER_SCOPES = 20_000;
const IN_FLIGHT = 32;

let api: TestApi;
type Grant = Awaited<ReturnType<typeof passwordGrant>>;
let metered: MeteredClient;

beforeAll(async () => {
  const documents = (healthy: DynamoDBDocumentClient) => {
    metered = new MeteredClient(healthy);
    return metered.client;
  };
  api = await startTestApi({}, { documents });
});
afterAll(() => api.close());

/** What DynamoDB reported for the calls `work` made: calls by operation, read and write units by table and index. */
async function consumed(work: () => Promise<unknown>): Promise<Pick<Meter, 'calls' | 'read' | 'write'>> {
  const meter = new Meter();
  metered.meter = meter;
  await work();
  metered.meter = new Meter();
  return { calls: meter.calls, read: meter.read, write: meter.write };
}

type Cost = Pick<Meter, 'calls' | 'read' | 'write'>;
const units = (cost: Cost) => [...Object.values(cost.read), ...Object.values(cost.write)].reduce((sum, n) => sum + n, 0);

/**
 * The cost of an operation: the largest of three. On a loaded machine a reply can miss the client's timeout,
 * and the SDK's repeat of a transaction is billed as an idempotent replay (less); the full cost is the largest.
 */
async function costOf(operation: (n: number) => Promise<unknown>): Promise<Cost> {
  const samples: Cost[] = [];
  for (let n = 0; n < 3; n++) samples.push(await consumed(() => operation(n)));
  return samples.reduce((largest, sample) => (units(sample) > units(largest) ? sample : largest));
}

const authenticate = async (accessToken: string) =>
  (await call(api, 'GET', '/_security/_authenticate', { auth: { bearer: accessToken } })).status;

async function refresh(refreshToken: string): Promise<void> {
  const answer = await call(api, 'POST', TOKEN, {
    auth: USERS.elastic,
    body: { grant_type: 'refresh_token', refresh_token: refreshToken },
  });
  expect(answer.status).toBe(200);
}

/** Distinct user-wide watermarks of users with no token, `IN_FLIGHT` revocations at a time. */
async function revokeOtherUsers(count: number): Promise<void> {
  const store = new DynamoDbTokenStore({ client: testClients().documents, tableName: api.tokensTable, indexShards: 16 });
  let next = 0;
  const worker = async () => {
    for (let n = next++; n < count; n = next++) {
      await store.revoke({ scope: { user: userDigest(`departed-user-${n}`) }, through: api.clock.now() });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

/** The table, in small pages: a page of 1 MB can take DynamoDB Local longer than the client waits on a loaded machine. */
async function everyItem(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await testClients().documents.send(
      new ScanCommand({ TableName: api.tokensTable, ExclusiveStartKey, Limit: 500 }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey !== undefined);
  return items;
}

it(
  'IV-8: 20,000 revoked scopes change nothing a token use reads; realm- and user-wide revocation still hold',
  async () => {
    const grants = (count: number) => Promise.all(Array.from({ length: count }, () => passwordGrant(api, USERS.admin)));
    const [before, after] = [await grants(4), await grants(4)];
    const uses = (pairs: typeof before) => ({
      authentication: () => costOf(async () => expect(await authenticate((pairs[0] as Grant).access_token)).toBe(200)),
      refresh: () => costOf((n) => refresh((pairs[n + 1] as Grant).refresh_token)),
    });
    const authenticationBefore = await uses(before).authentication();
    const refreshBefore = await uses(before).refresh();

    await revokeOtherUsers(OTHER_SCOPES);

    expect(await uses(after).authentication()).toEqual(authenticationBefore);
    expect(await uses(after).refresh()).toEqual(refreshBefore);
    expect(authenticationBefore.calls).toEqual({ BatchGetItem: 1 });
    expect(refreshBefore.calls).toEqual({ BatchGetItem: 1, TransactWriteItems: 1 });
    const later = after[0] as Grant;
    const reader = await passwordGrant(api, USERS.reader);

    const byRealm = await call(api, 'DELETE', TOKEN, { auth: USERS.elastic, body: { realm_name: 'default_file' } });
    expect(byRealm.status).toBe(200);
    expect(await authenticate(later.access_token)).toBe(401);
    api.clock.advance(1);
    const afterRealm = await passwordGrant(api, USERS.reader);
    expect(await authenticate(afterRealm.access_token)).toBe(200);
    const byUser = await call(api, 'DELETE', TOKEN, { auth: USERS.elastic, body: { username: USERS.reader.username } });
    expect(byUser.status).toBe(200);
    expect(await authenticate(reader.access_token)).toBe(401);
    expect(await authenticate(afterRealm.access_token)).toBe(401);

    const items = await everyItem();
    expect(items.length).toBeGreaterThan(OTHER_SCOPES);
    expect(Math.max(...items.map(itemBytes))).toBeLessThanOrEqual(4 * 1024);
  },
  15 * 60_000,
);

it('IV-8: a scope no token can belong to (a name longer than any accepted) answers zero counts and touches no storage', async () => {
  let answer: Awaited<ReturnType<typeof call>> | undefined;
  const cost = await consumed(async () => {
    answer = await call(api, 'DELETE', TOKEN, { auth: USERS.elastic, body: { username: 'x'.repeat(20_000) } });
  });
  expect(answer?.status).toBe(200);
  expect(answer?.body).toEqual({ invalidated_tokens: 0, previously_invalidated_tokens: 0, error_count: 0 });
  expect(cost.calls).toEqual({});
});

it('IV-8: the record of a user-wide sweep keeps the user by digest, never the name sent', async () => {
  const username = 'departing-user-with-a-recognisable-name';
  const answer = await call(api, 'DELETE', TOKEN, { auth: USERS.elastic, body: { username, realm_name: 'default_file' } });
  expect(answer.status).toBe(200);
  const records = (await everyItem()).filter((item) => String(item.id).startsWith('#sweep#'));
  const text = JSON.stringify(records);
  expect(text).toContain(userDigest(username));
  expect(text).not.toContain(username);
});

it('IV-8: a realm-wide watermark is 4 one-unit writes and a user-wide one a single one, however many came before', async () => {
  const store = new DynamoDbTokenStore({ client: metered.client, tableName: api.tokensTable, indexShards: 16 });
  const through = api.clock.now();
  const realmWide = await consumed(() => store.revoke({ scope: { realm: 'default_file' }, through: through + 1 }));
  const userWide = await consumed(() => store.revoke({ scope: { user: userDigest('reader') }, through: through + 1 }));
  const userInRealm = await consumed(() =>
    store.revoke({ scope: { realm: 'default_file', user: userDigest('reader') }, through: through + 1 }),
  );
  expect(realmWide).toEqual({ calls: { UpdateItem: REALM_SPREAD }, read: {}, write: { table: REALM_SPREAD } });
  expect(userWide).toEqual({ calls: { UpdateItem: 1 }, read: {}, write: { table: 1 } });
  expect(userInRealm).toEqual(userWide);
});
