import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type RetryPolicy, retry } from '../retry';
import { countHalves, halvesOf, invalidatedByThis, isActive, wasInvalidatedBy, withHalfInvalidated } from '../tokens/pair-rules';
import { type RevocationWatermark, scopeOfPair } from '../tokens/revocation';
import { digestsOf, type ScopeKey } from '../tokens/scope-digest';
import type { TokenPair } from '../tokens/token-pair';
import type {
  ActivityBounds,
  CreationWindow,
  HalfInvalidation,
  HalfTarget,
  InvalidationId,
  PairInvalidation,
  PairPage,
  PairRef,
  ReadBack,
  ReadPair,
  RefreshMark,
  RotationOutcome,
  SweepCursor,
  TokenStore,
} from '../tokens/token-store';
import { batchGetItems } from './batch-get';
import { latestOf, notRevokedChecks, watermarkIdsOf, writeWatermark } from './dynamodb-revocations';
import { previousLatest, previousNotRevokedCheck, previousUserStreams, previousWatermarksId } from './legacy-layout';
import { guardStorage, storageFailure } from './storage-guard';
import {
  ITEM_EXISTS,
  ITEM_IS_NEW,
  indexKeyOf,
  indexQuery,
  invalidateHalfUpdate,
  invalidatePairUpdate,
  LEAVE_INDEXES,
  markRefreshedUpdate,
} from './token-expressions';
import { ATTR, itemOfFailedCondition, type TokenItem, toItem, toPair } from './token-items';

/**
 * Concurrent transactions on one item are cancelled with `TransactionConflict` rather than serialised;
 * they are retried here, eight times after 15 ms doubling up to 240 ms, each spread up to twice that, before
 * the refresh is reported as unavailable.
 */
export const TRANSACTION_CONFLICT_RETRY: RetryPolicy = { attempts: 9, firstPauseMs: 15, maxPauseMs: 240, jitter: 'double' };

export interface DynamoDbTokenStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly indexShards: number;
}

/**
 * The token store port (tokens/token-store.ts) on DynamoDB: item mapping in token-items.ts, expressions in
 * token-expressions.ts, the rules they check in tokens/pair-rules.ts.
 */
export class DynamoDbTokenStore implements TokenStore {
  constructor(private readonly options: DynamoDbTokenStoreOptions) {}

  async create(pair: TokenPair): Promise<void> {
    const { client, tableName, indexShards } = this.options;
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: toItem(pair, indexShards),
          ConditionExpression: ITEM_IS_NEW,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      // Pair ids are 128 random bits: an existing item with this id is this very put, applied by an attempt
      // whose reply was lost before the SDK sent it again. The pair is stored; the tokens may be answered.
      if (itemOfFailedCondition(error)?.accessHash === pair.accessHash) return;
      throw storageError('create token pair', error);
    }
  }

  /** One strongly consistent BatchGetItem of the pair and of its scopes' watermark items (dynamodb-revocations.ts). */
  async get({ pairId, scope }: PairRef): Promise<ReadPair | undefined> {
    if (scope === undefined) return this.getIssuedBefore(pairId);
    const watermarkIds = watermarkIdsOf(pairId, scope);
    const items = await this.readItems([pairId, ...watermarkIds]);
    const item = items.find((candidate) => candidate[ATTR.id] === pairId) as TokenItem | undefined;
    return item && withRevocation(toPair(item), latestOf(items, watermarkIds));
  }

  /**
   * A pair of a token of the previous version, which carries no digests (legacy-layout.ts): the pair with
   * that version's watermark item, then the current items of the pair's scopes, as read. Two round trips,
   * for tokens that are all gone 24 h after the upgrade.
   */
  private async getIssuedBefore(pairId: string): Promise<ReadPair | undefined> {
    const previousId = previousWatermarksId(pairId);
    const items = await this.readItems([pairId, previousId]);
    const item = items.find((candidate) => candidate[ATTR.id] === pairId) as TokenItem | undefined;
    if (item === undefined) return undefined;
    const watermarkIds = watermarkIdsOf(pairId, digestsOf(item));
    const marks = [
      previousLatest(
        items.find((candidate) => candidate[ATTR.id] === previousId),
        item.realm,
        item.username,
      ),
      latestOf(await this.readItems(watermarkIds), watermarkIds),
    ].filter((mark): mark is number => mark !== undefined);
    return withRevocation(toPair(item), marks.length === 0 ? undefined : Math.max(...marks));
  }

  private readItems(keys: string[]): Promise<Record<string, unknown>[]> {
    return batchGetItems({
      client: this.options.client,
      tableName: this.options.tableName,
      keyName: ATTR.id,
      keys,
      store: 'token',
      operation: 'read token pair',
    });
  }

  revoke(watermark: RevocationWatermark): Promise<void> {
    return writeWatermark(this.options.client, this.options.tableName, watermark);
  }

  /*
   * The states of a refresh half, and the condition that guards the one transition that rotates it:
   *
   *   usable --(rotate: SET refreshedAt, superseding)--> refreshed --(invalidate)--> invalidated
   *      \____________________________(invalidate)____________________________________/
   *
   * The update of the old pair and the put of the successor are one TransactWriteItems: a reader either
   * finds the old pair unrefreshed, or refreshed with a successor that is already stored (RF-8).
   */
  async rotate(old: PairRef, mark: RefreshMark, successor: TokenPair): Promise<RotationOutcome> {
    const { client, tableName, indexShards } = this.options;
    const scope = scopeOfPair(successor);
    // A watermark written between the refresh's read and this write is not missed.
    const checks = notRevokedChecks(old.pairId, digestsOf(scope), mark.oldCreatedAt);
    if (old.scope === undefined) checks.push(previousNotRevokedCheck(old.pairId, scope.realm, scope.username, mark.oldCreatedAt));
    const transaction = new TransactWriteCommand({
      TransactItems: [
        { Update: { TableName: tableName, Key: { [ATTR.id]: old.pairId }, ...markRefreshedUpdate(mark) } },
        { Put: { TableName: tableName, Item: toItem(successor, indexShards), ConditionExpression: ITEM_IS_NEW } },
        ...checks.map((check) => ({ ConditionCheck: { TableName: tableName, ...check } })),
      ],
    });
    try {
      await retry(TRANSACTION_CONFLICT_RETRY, () => client.send(transaction), {
        retryIf: (error) => !lostTheRace(error) && reasonsOf(error).some((reason) => reason.Code === 'TransactionConflict'),
      });
      return 'rotated';
    } catch (error) {
      if (lostTheRace(error)) return 'lost';
      throw storageError('refresh token pair', error);
    }
  }

  async invalidateHalf(target: HalfTarget, bounds: ActivityBounds, operation: InvalidationId): Promise<HalfInvalidation> {
    const { pairId, half, soleHalf } = target;
    let old: TokenItem;
    try {
      const result = await this.options.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { [ATTR.id]: pairId },
          ...invalidateHalfUpdate(target, bounds, operation),
          ReturnValues: 'ALL_OLD',
        }),
      );
      old = result.Attributes as TokenItem;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'not_found';
      throw storageError('invalidate token', error);
    }
    const after = withHalfInvalidated(old, half, operation);
    if (!soleHalf && old.realmKey !== undefined && !isActive(after, bounds)) await this.leaveIndexes(pairId);
    return invalidatedByThis(old, half, operation) ? 'invalidated' : 'previously_invalidated';
  }

  sweepStart(scope: ScopeKey, username?: string): SweepCursor[] {
    const { indexShards } = this.options;
    const streams = Array.from({ length: indexShards }, (_, shard) => ({ stream: String(shard) }));
    // Pairs issued before the upgrade are in the username index under the plain name (legacy-layout.ts).
    const byName = scope.user !== undefined && username !== undefined ? previousUserStreams(username, indexShards) : [];
    return [...streams, ...byName];
  }

  async nextPage(scope: ScopeKey, cursor: SweepCursor, window: CreationWindow, limit: number): Promise<PairPage> {
    const { index, input } = indexQuery(scope, cursor, window);
    const { Items = [], LastEvaluatedKey } = await this.send('find token pairs', () =>
      this.options.client.send(new QueryCommand({ TableName: this.options.tableName, ...input, Limit: limit })),
    );
    return {
      // Each pair's index key is where its stream resumes once the pair is dealt with (ExclusiveStartKey).
      pairs: Items.map((entry) => ({
        pairId: entry[ATTR.id] as string,
        resumeAfter: { stream: cursor.stream, after: indexKeyOf(index, entry) },
      })),
      ...(LastEvaluatedKey && { next: { stream: cursor.stream, after: LastEvaluatedKey as Record<string, string | number> } }),
    };
  }

  async invalidatePair(pairId: string, bounds: ActivityBounds, operation: InvalidationId): Promise<PairInvalidation | undefined> {
    try {
      const { Attributes } = await this.options.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { [ATTR.id]: pairId },
          ...invalidatePairUpdate(bounds, operation),
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return countHalves(Attributes as TokenItem, operation);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw storageError('invalidate token pair', error);
      const current = itemOfFailedCondition(error);
      // Inactive because this very request invalidated it, before a reply that was lost: count it as then.
      if (current !== undefined && wasInvalidatedBy(current, operation)) return countHalves(current, operation);
      // Died by time (an expired client_credentials token) but still indexed: take it off, best effort.
      if (current?.realmKey !== undefined) await this.leaveIndexes(pairId);
      return undefined;
    }
  }

  async readBack(pairId: string, bounds: ActivityBounds, operation: InvalidationId): Promise<ReadBack> {
    const item = await this.readItem(pairId);
    if (item === undefined) return { active: [] };
    if (wasInvalidatedBy(item, operation)) return { applied: countHalves(item, operation) };
    return { active: isActive(item, bounds) ? halvesOf(item) : [] };
  }

  /** One strongly consistent GetItem: a pair invalidated or refreshed a moment ago is seen as such. */
  private async readItem(pairId: string): Promise<TokenItem | undefined> {
    const { Item } = await this.send('read token pair', () =>
      this.options.client.send(
        new GetCommand({ TableName: this.options.tableName, Key: { [ATTR.id]: pairId }, ConsistentRead: true }),
      ),
    );
    return Item as TokenItem | undefined;
  }

  /**
   * Removes a dead pair's index keys, so later sweeps do not read it. Best effort: a stale entry costs a
   * sweep one conditional write that finds the pair inactive, and TTL removes it within a day anyway.
   */
  private async leaveIndexes(pairId: string): Promise<void> {
    try {
      await this.options.client.send(
        new UpdateCommand({
          TableName: this.options.tableName,
          Key: { [ATTR.id]: pairId },
          UpdateExpression: LEAVE_INDEXES,
          ConditionExpression: ITEM_EXISTS,
        }),
      );
    } catch {
      // See above: correctness does not depend on this write.
    }
  }

  private send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return guardStorage('token', operation, call);
  }
}

function withRevocation(pair: TokenPair, latestRevocation: number | undefined): ReadPair {
  return { ...pair, ...(latestRevocation !== undefined && { latestRevocation }) };
}

const storageError = (operation: string, error: unknown) => storageFailure('token', operation, error);

const reasonsOf = (error: unknown) => (error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : []);

/**
 * A rotation cancelled by the old pair's condition (0) or a watermark's (2 on): another refresh or an
 * invalidation came first. The successor's own put (1) cannot fail but by a repeat.
 */
const lostTheRace = (error: unknown) => reasonsOf(error).some((reason, i) => i !== 1 && reason.Code === 'ConditionalCheckFailed');
