import { randomUUID } from 'node:crypto';
import { PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { StorageUnavailableError } from '../../functions/errors';
import { DynamoDbTokenStore } from '../../functions/store/dynamodb-token-store';
import { scopeOfPair } from '../../functions/tokens/revocation';
import { digestsOf, type ScopeKey, scopeKeyOf, userDigest } from '../../functions/tokens/scope-digest';
import { PAIR_LIFETIME_MS, type TokenPair } from '../../functions/tokens/token-pair';
import type { ActivityBounds, InvalidationScope, PairRef, TokenHalf, TokenStore } from '../../functions/tokens/token-store';
import { hashSecret, newPairId, newSecret } from '../../functions/tokens/token-string';
import { createTokensTable, testClients } from '../support/dynamodb';
import { LostReply, serviceError, withFaults } from '../support/faults';
import { InMemoryTokenStore } from '../support/in-memory/token-store';
import { ELASTIC_CLIENT, fileRealmUser } from '../support/test-users';

/**
 * The token store port's contract (functions/tokens/token-store.ts), run against the DynamoDB adapter on
 * DynamoDB Local and against the in-memory stand-in the unit tests use (test/support/in-memory/): the same
 * cases, so the stand-in cannot drift from what it stands in for.
 */
type LosableWrite = 'create' | 'rotate' | 'invalidateHalf' | 'invalidatePair';

interface Subject {
  readonly store: TokenStore;
  /** The next call of `operation` is applied, and its caller gets a storage error instead of the reply. */
  loseNextReply(operation: LosableWrite): void;
}

const COMMAND_OF: Record<LosableWrite, string> = {
  create: PutCommand.name,
  rotate: TransactWriteCommand.name,
  invalidateHalf: UpdateCommand.name,
  invalidatePair: UpdateCommand.name,
};

async function dynamoDbSubject(): Promise<Subject> {
  const { client, documents } = testClients();
  const tableName = await createTokensTable(client);
  let losing: string | undefined;
  const faulty = withFaults(documents, (command) => {
    if (command.constructor.name !== losing) return undefined;
    losing = undefined;
    return new LostReply(serviceError('TimeoutError', { retryable: true }));
  });
  return {
    store: new DynamoDbTokenStore({ client: faulty, tableName, indexShards: 16 }),
    loseNextReply: (operation) => {
      losing = COMMAND_OF[operation];
    },
  };
}

async function inMemorySubject(): Promise<Subject> {
  const store = new InMemoryTokenStore({ indexShards: 16 });
  return { store, loseNextReply: (operation) => store.faults.failNext(operation, 'lostReply') };
}

/** Now, to the second: DynamoDB Local deletes items whose TTL is already past. */
const now = () => Math.floor(Date.now() / 1_000) * 1_000;
const boundsAt = (instant: number): ActivityBounds => ({ now: instant, createdNotBefore: instant - PAIR_LIFETIME_MS });

function aPair(realm: string, overrides: Partial<TokenPair> = {}): TokenPair {
  const createdAt = now();
  return {
    id: newPairId(),
    accessHash: hashSecret(newSecret()),
    refreshHash: hashSecret(newSecret()),
    createdAt,
    accessExpiresAt: createdAt + 1_200_000,
    accessInvalidated: false,
    refreshInvalidated: false,
    authentication: fileRealmUser('alice', realm, { roles: ['r1'] }),
    client: ELASTIC_CLIENT,
    ...overrides,
  };
}

/** How a token of the pair names it: its id and the digests of its realm and username. */
const refOf = (pair: TokenPair): PairRef => ({ pairId: pair.id, scope: digestsOf(scopeOfPair(pair)) });

const halfOf = (pair: TokenPair, half: TokenHalf) => ({
  pairId: pair.id,
  half,
  secretHash: (half === 'access' ? pair.accessHash : pair.refreshHash) as string,
  soleHalf: pair.refreshHash === undefined,
});

const markOf = (old: TokenPair, instant = now()) => ({
  refreshedAt: instant,
  superseding: 'sealed',
  createdNotBefore: instant - PAIR_LIFETIME_MS,
  oldCreatedAt: old.createdAt,
});

/** Every pair of the scope the indexes list, over every stream, page by page. */
async function listed(store: TokenStore, sent: InvalidationScope, pageSize = 100): Promise<string[]> {
  const ids: string[] = [];
  const window = { from: now() - PAIR_LIFETIME_MS, to: now() + 1 };
  const scope = scopeKeyOf(sent) as ScopeKey;
  for (const start of store.sweepStart(scope, sent.username)) {
    for (let cursor: typeof start | undefined = start; cursor !== undefined; ) {
      const page = await store.nextPage(scope, cursor, window, pageSize);
      ids.push(...page.pairs.map((pair) => pair.pairId));
      cursor = page.next;
    }
  }
  return ids.sort();
}

describe.each([
  ['DynamoDB Local', dynamoDbSubject],
  ['in memory', inMemorySubject],
])('token store contract (%s)', (_name, subject) => {
  let s: Subject;
  let realm: string;
  beforeAll(async () => {
    s = await subject();
  });
  beforeEach(() => {
    realm = `realm-${randomUUID()}`;
  });

  it('GT-7: a created pair reads back as stored; an unknown one is undefined; a taken id is refused', async () => {
    const pair = aPair(realm);
    await s.store.create(pair);
    await expect(s.store.get(refOf(pair))).resolves.toEqual(pair);
    await expect(s.store.get({ pairId: newPairId() })).resolves.toBeUndefined();
    await expect(s.store.create({ ...pair, accessHash: 'other' })).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(s.store.create(pair)).resolves.toBeUndefined();
  });

  it("IV-8: a watermark of any of the pair's three scopes applies to it, the latest one winning", async () => {
    const pair = aPair(realm);
    await s.store.create(pair);
    await s.store.revoke({ scope: { user: userDigest('bob') }, through: pair.createdAt + 9 });
    await expect(s.store.get(refOf(pair))).resolves.not.toHaveProperty('latestRevocation');
    await s.store.revoke({ scope: { realm }, through: pair.createdAt - 5 });
    await s.store.revoke({ scope: { realm, user: userDigest('alice') }, through: pair.createdAt + 3 });
    await s.store.revoke({ scope: { realm }, through: pair.createdAt - 7 });
    await expect(s.store.get(refOf(pair))).resolves.toMatchObject({ latestRevocation: pair.createdAt + 3 });
  });

  it('RF-8: a refresh half rotates once; invalidated, too old or revoked, the rotation is lost', async () => {
    const pair = aPair(realm);
    await s.store.create(pair);
    const successor = aPair(realm);
    await expect(s.store.rotate(refOf(pair), markOf(pair), successor)).resolves.toBe('rotated');
    await expect(s.store.get(refOf(successor))).resolves.toEqual(successor);
    await expect(s.store.get(refOf(pair))).resolves.toMatchObject({ superseding: 'sealed' });
    await expect(s.store.rotate(refOf(pair), markOf(pair), aPair(realm))).resolves.toBe('lost');
    await expect(s.store.rotate({ ...refOf(pair), pairId: newPairId() }, markOf(pair), aPair(realm))).resolves.toBe('lost');

    const invalidated = aPair(realm);
    await s.store.create(invalidated);
    await s.store.invalidateHalf(halfOf(invalidated, 'refresh'), boundsAt(now()), 'op');
    await expect(s.store.rotate(refOf(invalidated), markOf(invalidated), aPair(realm))).resolves.toBe('lost');

    const old = aPair(realm);
    await s.store.create(old);
    const late = { ...markOf(old), createdNotBefore: old.createdAt + 1 };
    await expect(s.store.rotate(refOf(old), late, aPair(realm))).resolves.toBe('lost');

    const revoked = aPair(realm);
    await s.store.create(revoked);
    await s.store.revoke({ scope: { realm }, through: revoked.createdAt });
    await expect(s.store.rotate(refOf(revoked), markOf(revoked), aPair(realm))).resolves.toBe('lost');
    const unrevoked = { ...markOf(revoked), oldCreatedAt: revoked.createdAt + 1 };
    await expect(s.store.rotate(refOf(revoked), unrevoked, aPair(realm))).resolves.toBe('rotated');
  });

  it('IV-5..IV-7: one half is marked once per request; a wrong secret, a sole half that is not, or age finds nothing', async () => {
    const pair = aPair(realm);
    await s.store.create(pair);
    const bounds = boundsAt(now());
    await expect(s.store.invalidateHalf({ ...halfOf(pair, 'access'), secretHash: 'wrong' }, bounds, 'op-1')).resolves.toBe(
      'not_found',
    );
    await expect(s.store.invalidateHalf({ ...halfOf(pair, 'access'), soleHalf: true }, bounds, 'op-1')).resolves.toBe(
      'not_found',
    );
    const tooOld = { ...bounds, createdNotBefore: pair.createdAt + 1 };
    await expect(s.store.invalidateHalf(halfOf(pair, 'access'), tooOld, 'op-1')).resolves.toBe('not_found');
    await expect(s.store.invalidateHalf(halfOf(pair, 'access'), bounds, 'op-1')).resolves.toBe('invalidated');
    await expect(s.store.invalidateHalf(halfOf(pair, 'access'), bounds, 'op-1')).resolves.toBe('invalidated');
    await expect(s.store.invalidateHalf(halfOf(pair, 'access'), bounds, 'op-2')).resolves.toBe('previously_invalidated');
    await expect(s.store.get(refOf(pair))).resolves.toMatchObject({ accessInvalidated: true, refreshInvalidated: false });
  });

  it('IV-8: the indexes list the active pairs of a scope, page by page; a pair leaves once nothing of it is active', async () => {
    const pairs = Array.from({ length: 7 }, () => aPair(realm));
    const elsewhere = aPair(`${realm}-other`);
    const bob = aPair(realm, { authentication: { ...aPair(realm).authentication, username: 'bob' } });
    for (const pair of [...pairs, elsewhere, bob]) await s.store.create(pair);
    const ids = (list: TokenPair[]) => list.map((pair) => pair.id).sort();
    await expect(listed(s.store, { realm }, 1)).resolves.toEqual(ids([...pairs, bob]));
    await expect(listed(s.store, { username: 'alice', realm }, 1)).resolves.toEqual(ids(pairs));
    await expect(listed(s.store, { realm, username: 'bob' })).resolves.toEqual([bob.id]);

    const [both, accessOnly, sole] = pairs as [TokenPair, TokenPair, TokenPair];
    const bounds = boundsAt(now());
    await s.store.invalidatePair(both.id, bounds, 'op');
    await s.store.invalidateHalf(halfOf(accessOnly, 'access'), bounds, 'op');
    await s.store.invalidateHalf(halfOf(sole, 'refresh'), bounds, 'op');
    await s.store.invalidateHalf(halfOf(sole, 'access'), bounds, 'op');
    await expect(listed(s.store, { realm })).resolves.toEqual(ids([...pairs.slice(1), bob].filter((p) => p !== sole)));
  });

  it('IV-8, IV-10: a pair is invalidated whole while active, counted once for its own request, and read back', async () => {
    const pair = aPair(realm);
    await s.store.create(pair);
    const bounds = boundsAt(now());
    await expect(s.store.readBack(pair.id, bounds, 'sweep-1')).resolves.toEqual({ active: ['refresh', 'access'] });
    await s.store.invalidateHalf(halfOf(pair, 'refresh'), bounds, 'earlier');
    const counted = { invalidated: ['access'], previouslyInvalidated: ['refresh'] };
    await expect(s.store.invalidatePair(pair.id, bounds, 'sweep-1')).resolves.toEqual(counted);
    await expect(s.store.invalidatePair(pair.id, bounds, 'sweep-1')).resolves.toEqual(counted);
    await expect(s.store.invalidatePair(pair.id, bounds, 'sweep-2')).resolves.toBeUndefined();
    await expect(s.store.readBack(pair.id, bounds, 'sweep-1')).resolves.toEqual({ applied: counted });
    await expect(s.store.readBack(pair.id, bounds, 'sweep-2')).resolves.toEqual({ active: [] });
    await expect(s.store.invalidatePair(newPairId(), bounds, 'sweep-1')).resolves.toBeUndefined();
    await expect(s.store.readBack(newPairId(), bounds, 'sweep-1')).resolves.toEqual({ active: [] });
  });

  it('IV-8: a pair dead by time alone is not counted, and leaves the indexes', async () => {
    const { refreshHash: _, ...expired } = aPair(realm);
    await s.store.create({ ...expired, accessExpiresAt: expired.createdAt });
    const later = boundsAt(expired.createdAt + 1);
    await expect(s.store.invalidatePair(expired.id, later, 'sweep')).resolves.toBeUndefined();
    await expect(listed(s.store, { realm })).resolves.toEqual([]);
  });

  describe('ER-11: a write whose reply is lost is applied, and its caller gets a 503', () => {
    it('create', async () => {
      const pair = aPair(realm);
      s.loseNextReply('create');
      await expect(s.store.create(pair)).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(s.store.get(refOf(pair))).resolves.toEqual(pair);
    });

    it('rotate', async () => {
      const pair = aPair(realm);
      const successor = aPair(realm);
      await s.store.create(pair);
      s.loseNextReply('rotate');
      await expect(s.store.rotate(refOf(pair), markOf(pair), successor)).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(s.store.get(refOf(pair))).resolves.toMatchObject({ superseding: 'sealed' });
      await expect(s.store.get(refOf(successor))).resolves.toEqual(successor);
    });

    it('invalidateHalf: the repeat of the request counts the half as its own', async () => {
      const pair = aPair(realm);
      await s.store.create(pair);
      s.loseNextReply('invalidateHalf');
      const bounds = boundsAt(now());
      await expect(s.store.invalidateHalf(halfOf(pair, 'access'), bounds, 'op')).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(s.store.invalidateHalf(halfOf(pair, 'access'), bounds, 'op')).resolves.toBe('invalidated');
    });

    it("invalidatePair: read back, the pair tells the work was this request's", async () => {
      const pair = aPair(realm);
      await s.store.create(pair);
      s.loseNextReply('invalidatePair');
      const bounds = boundsAt(now());
      await expect(s.store.invalidatePair(pair.id, bounds, 'sweep')).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(s.store.readBack(pair.id, bounds, 'sweep')).resolves.toEqual({
        applied: { invalidated: ['refresh', 'access'], previouslyInvalidated: [] },
      });
      await expect(listed(s.store, { realm })).resolves.toEqual([]);
    });
  });
});
