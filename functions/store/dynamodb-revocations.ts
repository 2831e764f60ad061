import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RevocationWatermark } from '../tokens/revocation';
import { scopesOf } from '../tokens/revocation';
import { PAIR_LIFETIME_MS } from '../tokens/token-pair';
import type { InvalidationScope } from '../tokens/token-store';
import { shardOf } from '../tokens/token-string';
import { isRetryable } from './retryable';
import { storageFailure } from './storage-guard';

/**
 * A watermark write is what the request's guarantee rests on, so a throttled or lost write is tried again
 * (a repeat of one that was applied finds its own entry and is done) before the request gives up with a 503.
 */
const WATERMARK_ATTEMPTS = 5;

/*
 * Revocation watermarks live in the tokens table, in items keyed by a shard of the pair id:
 *
 *   id = "#revoked#<shard>"   w_<scope digest> = <through>   ...   expiresAt = <TTL>
 *
 * The pair id is all a token string carries, so the watermark item's key must follow from it alone: the
 * same BatchGetItem then reads the pair and the one item that holds every watermark that could apply to
 * it, and the pair's realm and username pick the entries. A realm-wide watermark is written to every
 * shard (16 small writes, whatever the realm's size); sharding keeps each item under DynamoDB's 3,000
 * reads/s a partition, as every authentication reads one. Ids of pairs are base64url, without `#`, so the
 * two kinds of item cannot collide.
 */

/** Fixed, not a setting: a reader and a writer that disagreed on it would miss each other's watermarks. */
export const REVOCATION_SHARDS = 16;

/** Watermark entries are kept as long as a pair they cover can live, plus the TTL's margin. */
const ENTRY_LIFETIME_MS = PAIR_LIFETIME_MS + 60 * 60 * 1_000;

const ENTRY_PREFIX = 'w_';

export function revocationKeyOf(pairId: string): string {
  return `#revoked#${shardOf(pairId, REVOCATION_SHARDS)}`;
}

/**
 * The entry of one scope: a digest, so that neither a long name nor a `#` inside one can make two scopes
 * share an entry or an attribute name grow without bound. 128 bits, like the pair id.
 */
export function entryName({ realm, username }: InvalidationScope): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([realm ?? null, username ?? null]))
    .digest('base64url');
  return `${ENTRY_PREFIX}${digest.slice(0, 22)}`;
}

/** The latest watermark of a watermark item that applies to a pair of this realm and user. */
export function latestThrough(item: Record<string, unknown> | undefined, realm: string, username: string): number | undefined {
  if (item === undefined) return undefined;
  const marks = scopesOf(realm, username)
    .map((scope) => item[entryName(scope)])
    .filter((value): value is number => typeof value === 'number');
  return marks.length === 0 ? undefined : Math.max(...marks);
}

/**
 * For refresh's ConditionCheck: the pair (created at `createdAt`) is revoked by no watermark of its scopes.
 * The same rule as isRevoked (revocation.ts), evaluated by DynamoDB inside the transaction.
 */
export function notRevokedCondition(pairId: string, realm: string, username: string, createdAt: number) {
  const names = scopesOf(realm, username).map(entryName);
  return {
    Key: { id: revocationKeyOf(pairId) },
    ConditionExpression: names.map((_, i) => `(attribute_not_exists(#w${i}) OR #w${i} < :createdAt)`).join(' AND '),
    ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#w${i}`, name])),
    ExpressionAttributeValues: { ':createdAt': createdAt },
  };
}

/**
 * Writes the watermark to every shard. Each write only raises the entry (a later invalidation of the same
 * scope covers an earlier one), so concurrent or repeated requests, and a resumed job, are harmless.
 * Resolves once every shard holds it: from then on no token of the scope is accepted.
 */
export async function writeWatermark(
  client: DynamoDBDocumentClient,
  tableName: string,
  { scope, through }: RevocationWatermark,
): Promise<void> {
  const name = entryName(scope);
  await Promise.all(
    Array.from({ length: REVOCATION_SHARDS }, async (_, shard) => {
      const item = await raiseEntry(client, tableName, shard, name, through);
      await pruneEntries(client, tableName, shard, item, through);
    }),
  );
}

/** Raises one shard's entry to `through`; the item after the write, or undefined if a later one was there. */
async function raiseEntry(
  client: DynamoDBDocumentClient,
  tableName: string,
  shard: number,
  name: string,
  through: number,
): Promise<Record<string, unknown> | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { id: `#revoked#${shard}` },
          UpdateExpression: 'SET #w = :through, expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(#w) OR #w < :through',
          ExpressionAttributeNames: { '#w': name },
          ExpressionAttributeValues: { ':through': through, ':expiresAt': Math.ceil((through + ENTRY_LIFETIME_MS) / 1000) },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes;
    } catch (error) {
      // This watermark (a repeat of a write whose reply was lost) or a later one is there: it covers this one.
      if (error instanceof ConditionalCheckFailedException) return undefined;
      if (!isRetryable(error) || attempt >= WATERMARK_ATTEMPTS) {
        throw storageFailure('token', 'write revocation watermark', error);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * 2 ** attempt));
    }
  }
}

/**
 * Removes entries no pair can be covered by any more, so an item that keeps receiving watermarks (and so
 * never reaches its TTL) stays small: each authentication reads it. Best effort: an entry left costs bytes.
 */
async function pruneEntries(
  client: DynamoDBDocumentClient,
  tableName: string,
  shard: number,
  item: Record<string, unknown> | undefined,
  now: number,
): Promise<void> {
  const stale = Object.entries(item ?? {}).filter(
    ([name, value]) => name.startsWith(ENTRY_PREFIX) && typeof value === 'number' && value < now - ENTRY_LIFETIME_MS,
  );
  if (stale.length === 0) return;
  await client
    .send(
      new UpdateCommand({
        TableName: tableName,
        Key: { id: `#revoked#${shard}` },
        UpdateExpression: `REMOVE ${stale.map((_, i) => `#s${i}`).join(', ')}`,
        // Only if unchanged: an entry raised meanwhile is live again.
        ConditionExpression: stale.map((_, i) => `#s${i} = :s${i}`).join(' AND '),
        ExpressionAttributeNames: Object.fromEntries(stale.map(([name], i) => [`#s${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(stale.map(([, value], i) => [`:s${i}`, value])),
      }),
    )
    .catch(() => undefined);
}
