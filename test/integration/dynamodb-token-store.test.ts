import { randomBytes } from 'node:crypto';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { StorageUnavailableError } from '../../functions/errors';
import { DynamoDbTokenStore } from '../../functions/store/dynamodb-token-store';
import { TOKENS_TABLE } from '../../functions/store/tables';
import { userDigest } from '../../functions/tokens/scope-digest';
import { PAIR_LIFETIME_MS, type TokenPair } from '../../functions/tokens/token-pair';
import type { TokenHalf } from '../../functions/tokens/token-store';
import { hashSecret, newPairId, newSecret } from '../../functions/tokens/token-string';
import { createTokensTable, testClients } from '../support/dynamodb';
import { SentTwice, withFaults } from '../support/faults';
import { authenticatedUser, ELASTIC_CLIENT, FILE_REALM } from '../support/test-users';

const { client, documents } = testClients();
let tableName: string;
let store: DynamoDbTokenStore;

beforeAll(async () => {
  tableName = await createTokensTable(client);
  store = new DynamoDbTokenStore({ client: documents, tableName, indexShards: 16 });
});

function aPair(overrides: Partial<TokenPair> = {}): TokenPair {
  // Now (to the second), not a fixed date: DynamoDB Local deletes items whose TTL attribute is already past.
  const createdAt = Math.floor(Date.now() / 1_000) * 1_000;
  return {
    id: newPairId(),
    accessHash: hashSecret(newSecret()),
    refreshHash: hashSecret(newSecret()),
    createdAt,
    accessExpiresAt: createdAt + 1_200_000,
    accessInvalidated: false,
    refreshInvalidated: false,
    authentication: authenticatedUser('alice', FILE_REALM, {
      roles: ['r1', 'r2'],
      full_name: 'Alice',
      email: 'a@example.com',
      metadata: { team: 'x' },
    }),
    client: ELASTIC_CLIENT,
    ...overrides,
  };
}

describe('DynamoDB token store (DynamoDB Local)', () => {
  it('declares the table of DESIGN §3: pair id key, TTL, two sparse indexes with small projections', async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    const indexes = Object.fromEntries((Table?.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i]));
    expect(indexes['realm-index']?.KeySchema).toEqual([
      { AttributeName: 'realmKey', KeyType: 'HASH' },
      { AttributeName: 'createdAt', KeyType: 'RANGE' },
    ]);
    expect(indexes['realm-index']?.Projection).toEqual({ ProjectionType: 'KEYS_ONLY' });
    expect(indexes['username-index']?.Projection).toEqual({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['realm'] });
  });

  it('reads back exactly the pair it stored, AU-3 key order included', async () => {
    const pair = aPair();
    await store.create(pair);
    const read = await store.get({ pairId: pair.id });
    expect(read).toEqual(pair);
    expect(Object.keys(read?.authentication ?? {})).toEqual([
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

  it('stores a client_credentials pair without a refresh half', async () => {
    const { refreshHash: _, ...pair } = aPair();
    await store.create(pair);
    expect((await store.get({ pairId: pair.id }))?.refreshHash).toBeUndefined();
  });

  it('answers undefined for an unknown pair', async () => {
    expect(await store.get({ pairId: newPairId() })).toBeUndefined();
  });

  it('writes sharded index keys, the username by digest, and a TTL of 24 h plus margin, in epoch seconds', async () => {
    // The shard is the id's first two bytes, big-endian, modulo 16: 0x012c = 300, and 300 = 18 * 16 + 12.
    const pair = aPair({ id: Buffer.concat([Buffer.from('012c', 'hex'), randomBytes(14)]).toString('base64url') });
    await store.create(pair);
    const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: { id: pair.id } }));
    expect(Item?.realmKey).toBe('default_file#12');
    expect(Item?.userKey).toBe(`${userDigest('alice')}#12`);
    expect(Item?.[TOKENS_TABLE.timeToLiveAttribute as string]).toBeGreaterThan((pair.createdAt + PAIR_LIFETIME_MS) / 1000);
    expect(Item?.[TOKENS_TABLE.timeToLiveAttribute as string]).toBeLessThanOrEqual(
      (pair.createdAt + PAIR_LIFETIME_MS) / 1000 + 3600,
    );
  });

  it('never overwrites an existing pair', async () => {
    const pair = aPair();
    await store.create(pair);
    await expect(store.create({ ...pair, accessHash: 'other' })).rejects.toBeInstanceOf(StorageUnavailableError);
    expect((await store.get({ pairId: pair.id }))?.accessHash).toBe(pair.accessHash);
  });

  describe('writes whose reply was lost and that are sent again (SDK or sweep retries)', () => {
    const bounds = () => ({ now: Date.now(), createdNotBefore: Date.now() - PAIR_LIFETIME_MS });
    const half = (pair: TokenPair, which: TokenHalf) => ({
      pairId: pair.id,
      half: which,
      secretHash: (which === 'access' ? pair.accessHash : pair.refreshHash) as string,
      soleHalf: pair.refreshHash === undefined,
    });
    let twice: DynamoDbTokenStore;
    beforeAll(() => {
      twice = new DynamoDbTokenStore({ client: withFaults(documents, () => new SentTwice()), tableName, indexShards: 16 });
    });

    it('GT-7, GT-8, ER-11: a put applied twice stores the pair once and succeeds', async () => {
      const pair = aPair();
      await expect(twice.create(pair)).resolves.toBeUndefined();
      expect((await store.get({ pairId: pair.id }))?.accessHash).toBe(pair.accessHash);
    });

    it('IV-5: a half invalidated by a repeat of its own request counts as invalidated; by another, as previously', async () => {
      const pair = aPair();
      await store.create(pair);
      await expect(twice.invalidateHalf(half(pair, 'access'), bounds(), 'op-1')).resolves.toBe('invalidated');
      await expect(store.invalidateHalf(half(pair, 'access'), bounds(), 'op-1')).resolves.toBe('invalidated');
      await expect(store.invalidateHalf(half(pair, 'access'), bounds(), 'op-2')).resolves.toBe('previously_invalidated');
    });

    it('IV-8: a pair invalidated by a repeat of its own sweep counts as then; by another sweep, not at all', async () => {
      const pair = aPair();
      await store.create(pair);
      await store.invalidateHalf(half(pair, 'refresh'), bounds(), 'earlier');
      const counted = { invalidated: ['access'], previouslyInvalidated: ['refresh'] };
      await expect(twice.invalidatePair(pair.id, bounds(), 'sweep-1')).resolves.toEqual(counted);
      await expect(store.invalidatePair(pair.id, bounds(), 'sweep-1')).resolves.toEqual(counted);
      await expect(store.invalidatePair(pair.id, bounds(), 'sweep-2')).resolves.toBeUndefined();
    });

    it('IV-10: reading a pair back tells an applied invalidation from halves still active', async () => {
      const pair = aPair();
      await store.create(pair);
      await expect(store.readBack(pair.id, bounds(), 'sweep-1')).resolves.toEqual({ active: ['refresh', 'access'] });
      await store.invalidatePair(pair.id, bounds(), 'sweep-1');
      await expect(store.readBack(pair.id, bounds(), 'sweep-1')).resolves.toEqual({
        applied: { invalidated: ['refresh', 'access'], previouslyInvalidated: [] },
      });
      await expect(store.readBack(pair.id, bounds(), 'sweep-2')).resolves.toEqual({ active: [] });
      await expect(store.readBack(newPairId(), bounds(), 'sweep-1')).resolves.toEqual({ active: [] });
    });
  });

  it('ER-11: a storage failure surfaces as StorageUnavailableError', async () => {
    const missing = new DynamoDbTokenStore({ client: documents, tableName: 'no-such-table', indexShards: 16 });
    await expect(missing.get({ pairId: newPairId() })).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(documents.send(new PutCommand({ TableName: 'no-such-table', Item: { id: 'x' } }))).rejects.toThrow();
  });
});
