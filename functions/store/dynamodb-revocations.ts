import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type RetryPolicy, retry } from '../retry';
import type { RevocationWatermark } from '../tokens/revocation';
import { realmDigest, type ScopeDigests } from '../tokens/scope-digest';
import { PAIR_LIFETIME_MS } from '../tokens/token-pair';
import { shardOf } from '../tokens/token-string';
import { isRetryable } from './retryable';
import { storageFailure } from './storage-guard';

/**
 * A watermark write is what the request's guarantee rests on, so a throttled or lost write is tried again
 * (a repeat of one that was applied finds its own value and is done), after up to 50, 100, 200 and 400 ms
 * (full jitter), before the request gives up with a 503.
 */
export const WATERMARK_RETRY: RetryPolicy = { attempts: 5, firstPauseMs: 50, jitter: 'full' };

/*
 * Revocation watermarks live in the tokens table, one small item per scope (a realm's spread over a few):
 *
 *   id = "#revoked#realm#<realm digest>#<spread>"             through = <T>   expiresAt = <TTL>
 *   id = "#revoked#user#<user digest>"                        through = <T>   expiresAt = <TTL>
 *   id = "#revoked#realm-user#<realm digest>.<user digest>"   through = <T>   expiresAt = <TTL>
 *
 * A token carries its pair's digests (tokens/scope-digest.ts), so the one BatchGetItem of a token use reads
 * the pair and the three items of exactly its scopes: 4 items of a few dozen bytes, whatever else was
 * revoked. No item grows with the number of scopes revoked (each holds one instant) and none is written by
 * another scope's revocation, so no caller can make another's token use dearer or its revocation fail.
 *
 * Every token use of a scope reads its item, and DynamoDB serves about 3,000 strongly consistent reads/s of
 * one item. A realm is spread over REALM_SPREAD items, its pairs picking one by their id (3,000/s each,
 * 12,000/s a realm: more than API Gateway's default quota of 10,000 requests/s an account), so a realm-wide
 * revocation writes REALM_SPREAD items. One user's uses share one item (3,000/s: three times the whole
 * API's default stage throttle, infra/token-service-stack.ts), so a user-wide revocation is one write.
 * Ids of pairs are base64url, without `#`, so the kinds of item cannot collide; the previous version's items
 * (`#revoked#<shard>`) are read by legacy-layout.ts.
 */

/** Fixed, not a setting: a reader and a writer that disagreed on it would miss each other's watermarks. */
export const REALM_SPREAD = 4;

/** A watermark is kept as long as a pair it covers can live (RevocationWatermark.lifetimeMs), plus this margin. */
const WATERMARK_TTL_MARGIN_MS = 60 * 60 * 1_000;

const THROUGH = 'through';

/** The item of one scope (realm, user, or both: user in realm); a realm's at one of its spread. */
function watermarkId({ realm, user }: Partial<ScopeDigests>, spread: number): string {
  if (realm !== undefined && user !== undefined) return `#revoked#realm-user#${realm}.${user}`;
  return realm !== undefined ? `#revoked#realm#${realm}#${spread}` : `#revoked#user#${user}`;
}

/** The watermark items a use of a pair with these digests reads: its realm, its user, its user in its realm. */
export function watermarkIdsOf(pairId: string, digests: ScopeDigests): string[] {
  const spread = shardOf(pairId, REALM_SPREAD);
  return [{ realm: digests.realm }, { user: digests.user }, digests].map((scope) => watermarkId(scope, spread));
}

/** The latest watermark among the items read with these ids; undefined when none is there. */
export function latestOf(items: readonly Record<string, unknown>[], ids: readonly string[]): number | undefined {
  const marks = items
    .filter((item) => ids.includes(item.id as string))
    .map((item) => item[THROUGH])
    .filter((value): value is number => typeof value === 'number');
  return marks.length === 0 ? undefined : Math.max(...marks);
}

/** The body of a ConditionCheck on a watermark item (the table's name is added by the caller). */
export interface WatermarkCheck {
  readonly Key: { readonly id: string };
  readonly ConditionExpression: string;
  readonly ExpressionAttributeNames: Record<string, string>;
  readonly ExpressionAttributeValues: Record<string, number>;
}

/**
 * For refresh's transaction: one ConditionCheck per scope item, that its watermark (if any) does not cover
 * a pair created at `createdAt`. The same rule as isRevoked (revocation.ts), evaluated by DynamoDB.
 */
export function notRevokedChecks(pairId: string, digests: ScopeDigests, createdAt: number): WatermarkCheck[] {
  return watermarkIdsOf(pairId, digests).map((id) => ({
    Key: { id },
    ConditionExpression: 'attribute_not_exists(#through) OR #through < :createdAt',
    ExpressionAttributeNames: { '#through': THROUGH },
    ExpressionAttributeValues: { ':createdAt': createdAt },
  }));
}

/**
 * Writes the watermark to its scope's item (every one of a realm's spread). Each write only raises it (a later invalidation
 * of the same scope covers an earlier one), so concurrent or repeated requests, and a resumed job, are
 * harmless. Resolves once every item holds it: from then on no token of the scope is accepted.
 */
export async function writeWatermark(
  client: DynamoDBDocumentClient,
  tableName: string,
  { scope, through, lifetimeMs = PAIR_LIFETIME_MS }: RevocationWatermark,
): Promise<void> {
  const digests = { ...(scope.realm !== undefined && { realm: realmDigest(scope.realm) }), user: scope.user };
  const items = new Set(Array.from({ length: REALM_SPREAD }, (_, spread) => watermarkId(digests, spread)));
  const expiresAt = Math.ceil((through + lifetimeMs + WATERMARK_TTL_MARGIN_MS) / 1000);
  await Promise.all([...items].map((id) => raise(client, tableName, id, through, expiresAt)));
}

async function raise(
  client: DynamoDBDocumentClient,
  tableName: string,
  id: string,
  through: number,
  expiresAt: number,
): Promise<void> {
  const write = async () => {
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { id },
          UpdateExpression: 'SET #through = :through, expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(#through) OR #through < :through',
          ExpressionAttributeNames: { '#through': THROUGH },
          ExpressionAttributeValues: {
            ':through': through,
            ':expiresAt': expiresAt,
          },
        }),
      );
    } catch (error) {
      // This watermark (a repeat of a write whose reply was lost) or a later one is there: it covers this one.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  };
  try {
    await retry(WATERMARK_RETRY, write, { retryIf: isRetryable });
  } catch (error) {
    throw storageFailure('token', 'write revocation watermark', error);
  }
}
