import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Authentication, AuthenticationType, RealmRef } from '../security/authentication';
import type { RevocationWatermark } from '../tokens/revocation';
import { PAIR_LIFETIME_MS, type TokenPair } from '../tokens/token-pair';
import type {
  ActivityBounds,
  CreationWindow,
  HalfInvalidation,
  HalfTarget,
  InvalidationId,
  InvalidationScope,
  PairInvalidation,
  PairPage,
  ReadBack,
  ReadPair,
  RefreshMark,
  RotationOutcome,
  SweepCursor,
  TokenHalf,
  TokenStore,
} from '../tokens/token-store';
import { shardOf } from '../tokens/token-string';
import { batchGetItems } from './batch-get';
import { latestThrough, notRevokedCondition, revocationKeyOf, writeWatermark } from './dynamodb-revocations';
import { guardStorage, storageFailure } from './storage-guard';

/**
 * TTL is garbage collection only: DynamoDB deletes expired items lazily (up to days late), so every read
 * path decides expiry from createdAt. The hour of margin keeps deletion strictly after the 24 h lifetime.
 */
const TTL_MARGIN_MS = 60 * 60 * 1_000;

/**
 * Concurrent transactions on one item are cancelled with `TransactionConflict` rather than serialised;
 * they are retried here, a few times with jitter, before the refresh is reported as unavailable.
 */
const TRANSACTION_CONFLICT_RETRIES = 8;
const TRANSACTION_CONFLICT_BACKOFF_MS = 15;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * IV-8's "active": the access half is neither invalidated nor expired, or the refresh half exists, is not
 * invalidated and the pair is not past 24 h. Checked inside the write, so a sweep never counts a pair
 * twice or one that died since the index was read.
 */
const PAIR_IS_ACTIVE =
  '(accessInvalidated = :false AND accessExpiresAt >= :now) OR ' +
  '(attribute_exists(refreshHash) AND refreshInvalidated = :false AND createdAt >= :createdNotBefore)';

const HALF_ATTRIBUTES: Record<
  TokenHalf,
  {
    hash: 'accessHash' | 'refreshHash';
    invalidated: 'accessInvalidated' | 'refreshInvalidated';
    invalidatedBy: 'accessInvalidatedBy' | 'refreshInvalidatedBy';
  }
> = {
  access: { hash: 'accessHash', invalidated: 'accessInvalidated', invalidatedBy: 'accessInvalidatedBy' },
  refresh: { hash: 'refreshHash', invalidated: 'refreshInvalidated', invalidatedBy: 'refreshInvalidatedBy' },
};

/**
 * Records which request invalidated a half, keeping the first: a half invalidated earlier keeps its
 * request's id, so a repeat of a write whose reply was lost can tell its own work from another's.
 */
const RECORD_INVALIDATED_BY = (half: TokenHalf) => {
  const { invalidatedBy } = HALF_ATTRIBUTES[half];
  return `${invalidatedBy} = if_not_exists(${invalidatedBy}, :operation)`;
};

/** Counts a half as this request's own when it was live before the write, or the write was this request's. */
function invalidatedByThis(old: TokenItem, half: TokenHalf, operation: InvalidationId): boolean {
  const { invalidated, invalidatedBy } = HALF_ATTRIBUTES[half];
  return !old[invalidated] || old[invalidatedBy] === operation;
}

/** The same rule as PAIR_IS_ACTIVE, on an item in hand. */
function isActive(item: TokenItem, { now, createdNotBefore }: ActivityBounds): boolean {
  const access = !item.accessInvalidated && item.accessExpiresAt >= now;
  const refresh = item.refreshHash !== undefined && !item.refreshInvalidated && item.createdAt >= createdNotBefore;
  return access || refresh;
}

/** A pair's halves as this request's invalidation counts them, from the item before (or after) its write. */
function countHalves(item: TokenItem, operation: InvalidationId): PairInvalidation {
  const halves = halvesOf(item);
  return {
    invalidated: halves.filter((half) => invalidatedByThis(item, half, operation)),
    previouslyInvalidated: halves.filter((half) => !invalidatedByThis(item, half, operation)),
  };
}

/**
 * The item a write's condition failed on (ReturnValuesOnConditionCheckFailure: ALL_OLD). The document
 * client converts replies but not errors, so the item arrives in DynamoDB's typed form.
 */
function itemOfFailedCondition(error: unknown): TokenItem | undefined {
  if (!(error instanceof ConditionalCheckFailedException) || error.Item === undefined) return undefined;
  return unmarshall(error.Item) as TokenItem;
}

/** Whether a write of this request was applied to the pair (whatever became of its reply). */
function wasInvalidatedBy(item: TokenItem, operation: InvalidationId): boolean {
  return halvesOf(item).some((half) => item[HALF_ATTRIBUTES[half].invalidatedBy] === operation);
}

/** IV-8: refresh half first, then access half. */
function halvesOf(item: TokenItem): TokenHalf[] {
  return item.refreshHash === undefined ? ['access'] : ['refresh', 'access'];
}

/** The stored form of a pair (key names as declared in tables.ts). This file is the only one that knows them. */
interface TokenItem {
  id: string;
  accessHash: string;
  refreshHash?: string;
  createdAt: number;
  accessExpiresAt: number;
  accessInvalidated: boolean;
  refreshInvalidated: boolean;
  user: Omit<Authentication, 'authentication_type'> & { authentication_type: AuthenticationType };
  clientUsername: string;
  clientRealm: string;
  realm: string;
  username: string;
  refreshedAt?: number;
  superseding?: string;
  /** A realm's hidden token metadata (SAML-U-4): a map of strings. */
  tokenMetadata?: Record<string, string>;
  /** The InvalidationId of the request that invalidated each half. */
  accessInvalidatedBy?: string;
  refreshInvalidatedBy?: string;
  /** Sparse index keys: present only while the pair has an active half. */
  realmKey?: string;
  userKey?: string;
  /** Epoch seconds, DynamoDB's TTL unit. */
  expiresAt: number;
}

export interface DynamoDbTokenStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly indexShards: number;
}

export class DynamoDbTokenStore implements TokenStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly indexShards: number;

  constructor(options: DynamoDbTokenStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.indexShards = options.indexShards;
  }

  async create(pair: TokenPair): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.toItem(pair),
          ConditionExpression: 'attribute_not_exists(id)',
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

  /** One strongly consistent BatchGetItem of the pair and of its shard's watermark item (dynamodb-revocations.ts). */
  async get(pairId: string): Promise<ReadPair | undefined> {
    const watermarksId = revocationKeyOf(pairId);
    const items = await batchGetItems({
      client: this.client,
      tableName: this.tableName,
      keyName: 'id',
      keys: [pairId, watermarksId],
      store: 'token',
      operation: 'read token pair',
    });
    const item = items.find((candidate) => candidate.id === pairId) as TokenItem | undefined;
    if (item === undefined) return undefined;
    const watermarks = items.find((candidate) => candidate.id === watermarksId);
    const latestRevocation = latestThrough(watermarks, item.realm, item.username);
    return { ...toPair(item), ...(latestRevocation !== undefined && { latestRevocation }) };
  }

  revoke(watermark: RevocationWatermark): Promise<void> {
    return writeWatermark(this.client, this.tableName, watermark);
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
  async rotate(oldPairId: string, mark: RefreshMark, successor: TokenPair): Promise<RotationOutcome> {
    const transaction = new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: this.tableName,
            Key: { id: oldPairId },
            UpdateExpression: 'SET refreshedAt = :refreshedAt, superseding = :superseding',
            ConditionExpression:
              'attribute_exists(refreshHash) AND attribute_not_exists(refreshedAt) AND refreshInvalidated = :false AND createdAt >= :createdNotBefore',
            ExpressionAttributeValues: {
              ':refreshedAt': mark.refreshedAt,
              ':superseding': mark.superseding,
              ':false': false,
              ':createdNotBefore': mark.createdNotBefore,
            },
          },
        },
        { Put: { TableName: this.tableName, Item: this.toItem(successor), ConditionExpression: 'attribute_not_exists(id)' } },
        // A watermark written between the refresh's read and this write is not missed.
        {
          ConditionCheck: {
            TableName: this.tableName,
            ...notRevokedCondition(
              oldPairId,
              successor.authentication.authentication_realm.name,
              successor.authentication.username,
              mark.oldCreatedAt,
            ),
          },
        },
      ],
    });
    for (let attempt = 0; ; attempt++) {
      try {
        await this.client.send(transaction);
        return 'rotated';
      } catch (error) {
        const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed' || reasons[2]?.Code === 'ConditionalCheckFailed') return 'lost';
        const conflict = reasons.some((reason) => reason.Code === 'TransactionConflict');
        if (!conflict || attempt >= TRANSACTION_CONFLICT_RETRIES) throw storageError('refresh token pair', error);
        await pause(TRANSACTION_CONFLICT_BACKOFF_MS * (1 + Math.random()) * 2 ** Math.min(attempt, 4));
      }
    }
  }

  async invalidateHalf(target: HalfTarget, bounds: ActivityBounds, operation: InvalidationId): Promise<HalfInvalidation> {
    const { pairId, half, secretHash, soleHalf } = target;
    const { hash, invalidated } = HALF_ATTRIBUTES[half];
    let old: TokenItem;
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id: pairId },
          // A sole half leaves nothing active: the pair leaves the indexes in the same write.
          UpdateExpression: `SET ${invalidated} = :true, ${RECORD_INVALIDATED_BY(half)}${soleHalf ? ' REMOVE realmKey, userKey' : ''}`,
          // The hash proves the caller holds this half; the age makes a pair past 24 h a missing one (IV-7).
          ConditionExpression: `${hash} = :hash AND createdAt >= :createdNotBefore${soleHalf ? ' AND attribute_not_exists(refreshHash)' : ''}`,
          ExpressionAttributeValues: {
            ':true': true,
            ':hash': secretHash,
            ':createdNotBefore': bounds.createdNotBefore,
            ':operation': operation,
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      old = result.Attributes as TokenItem;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'not_found';
      throw storageError('invalidate token', error);
    }
    const after: TokenItem = { ...old, [invalidated]: true };
    if (!soleHalf && old.realmKey !== undefined && !isActive(after, bounds)) await this.leaveIndexes(pairId);
    return invalidatedByThis(old, half, operation) ? 'invalidated' : 'previously_invalidated';
  }

  sweepStart(_scope: InvalidationScope): SweepCursor[] {
    return Array.from({ length: this.indexShards }, (_, shard) => ({ stream: String(shard) }));
  }

  /** Realm only: the realm index. Username (with or without realm): the username index, filtered on realm. */
  async nextPage(scope: InvalidationScope, cursor: SweepCursor, window: CreationWindow, limit: number): Promise<PairPage> {
    const byUser = scope.username !== undefined;
    const partition = `${byUser ? scope.username : scope.realm}#${cursor.stream}`;
    const filterOnRealm = byUser && scope.realm !== undefined;
    const { Items = [], LastEvaluatedKey } = await this.send('find token pairs', () =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: byUser ? 'username-index' : 'realm-index',
          KeyConditionExpression: `${byUser ? 'userKey' : 'realmKey'} = :partition AND createdAt BETWEEN :from AND :to`,
          ...(filterOnRealm && { FilterExpression: 'realm = :realm' }),
          ExpressionAttributeValues: {
            ':partition': partition,
            ':from': window.from,
            ':to': window.to,
            ...(filterOnRealm && { ':realm': scope.realm }),
          },
          ...(cursor.after && { ExclusiveStartKey: cursor.after }),
          Limit: limit,
        }),
      ),
    );
    const keyName = byUser ? 'userKey' : 'realmKey';
    return {
      // Each pair's index key is where its stream resumes once the pair is dealt with (ExclusiveStartKey).
      pairs: Items.map((item) => ({
        pairId: item.id as string,
        resumeAfter: { stream: cursor.stream, after: { id: item.id, [keyName]: item[keyName], createdAt: item.createdAt } },
      })),
      ...(LastEvaluatedKey && { next: { stream: cursor.stream, after: LastEvaluatedKey as Record<string, string | number> } }),
    };
  }

  async invalidatePair(pairId: string, bounds: ActivityBounds, operation: InvalidationId): Promise<PairInvalidation | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id: pairId },
          // Both halves at once, and off the indexes: nothing active is left.
          UpdateExpression: `SET accessInvalidated = :true, refreshInvalidated = :true, ${RECORD_INVALIDATED_BY('access')}, ${RECORD_INVALIDATED_BY('refresh')} REMOVE realmKey, userKey`,
          ConditionExpression: PAIR_IS_ACTIVE,
          ExpressionAttributeValues: {
            ':true': true,
            ':false': false,
            ':now': bounds.now,
            ':createdNotBefore': bounds.createdNotBefore,
            ':operation': operation,
          },
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
      this.client.send(new GetCommand({ TableName: this.tableName, Key: { id: pairId }, ConsistentRead: true })),
    );
    return Item as TokenItem | undefined;
  }

  /**
   * Removes a dead pair's index keys, so later sweeps do not read it. Best effort: a stale entry costs a
   * sweep one conditional write that finds the pair inactive, and TTL removes it within a day anyway.
   */
  private async leaveIndexes(pairId: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id: pairId },
          UpdateExpression: 'REMOVE realmKey, userKey',
          ConditionExpression: 'attribute_exists(id)',
        }),
      );
    } catch {
      // See above: correctness does not depend on this write.
    }
  }

  private toItem(pair: TokenPair): TokenItem {
    const shard = shardOf(pair.id, this.indexShards);
    const realm = pair.authentication.authentication_realm.name;
    const username = pair.authentication.username;
    return {
      id: pair.id,
      accessHash: pair.accessHash,
      ...(pair.refreshHash !== undefined && { refreshHash: pair.refreshHash }),
      createdAt: pair.createdAt,
      accessExpiresAt: pair.accessExpiresAt,
      accessInvalidated: pair.accessInvalidated,
      refreshInvalidated: pair.refreshInvalidated,
      user: pair.authentication,
      ...(pair.refreshedAt !== undefined && { refreshedAt: pair.refreshedAt }),
      ...(pair.superseding !== undefined && { superseding: pair.superseding }),
      ...(pair.tokenMetadata !== undefined && { tokenMetadata: { ...pair.tokenMetadata } }),
      clientUsername: pair.client.username,
      clientRealm: pair.client.realm,
      realm,
      username,
      realmKey: `${realm}#${shard}`,
      userKey: `${username}#${shard}`,
      expiresAt: Math.ceil((pair.createdAt + PAIR_LIFETIME_MS + TTL_MARGIN_MS) / 1000),
    };
  }

  private send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return guardStorage('token', operation, call);
  }
}

const storageError = (operation: string, error: unknown) => storageFailure('token', operation, error);

function toRealmRef(value: RealmRef): RealmRef {
  return { name: value.name, type: value.type };
}

/** DynamoDB maps do not keep key order; AU-3's order is restored here. */
function toAuthentication(user: TokenItem['user']): Authentication {
  return {
    username: user.username,
    roles: [...(user.roles ?? [])],
    full_name: user.full_name ?? null,
    email: user.email ?? null,
    metadata: user.metadata ?? {},
    enabled: user.enabled,
    authentication_realm: toRealmRef(user.authentication_realm),
    lookup_realm: toRealmRef(user.lookup_realm),
    authentication_type: user.authentication_type,
  };
}

function toPair(item: TokenItem): TokenPair {
  return {
    id: item.id,
    accessHash: item.accessHash,
    ...(item.refreshHash !== undefined && { refreshHash: item.refreshHash }),
    createdAt: item.createdAt,
    accessExpiresAt: item.accessExpiresAt,
    accessInvalidated: item.accessInvalidated,
    refreshInvalidated: item.refreshInvalidated,
    authentication: toAuthentication(item.user),
    client: { username: item.clientUsername, realm: item.clientRealm },
    ...(item.refreshedAt !== undefined && { refreshedAt: item.refreshedAt }),
    ...(item.superseding !== undefined && { superseding: item.superseding }),
    ...(item.tokenMetadata !== undefined && { tokenMetadata: item.tokenMetadata }),
  };
}
