import { createHash } from 'node:crypto';
import type { SweepJob } from '../tokens/invalidation-sweep';
import { userDigest } from '../tokens/scope-digest';
import type { SweepCursor } from '../tokens/token-store';
import { shardOf } from '../tokens/token-string';
import type { WatermarkCheck } from './dynamodb-revocations';

/*
 * What the previous version stored, read until its last pair has expired (24 h after the upgrade); this
 * module goes in the next release. That version kept:
 * - every watermark in 16 items keyed by a shard of the pair id (`#revoked#<shard>`), one entry per scope
 *   named by a digest of the scope: its tokens carry no digests, so their uses read that item with the pair,
 *   then the current layout's items from the pair as read (a second round trip, for these tokens only);
 * - the username index keyed by the plain name (`<username>#<shard>`): a user-wide sweep also reads those
 *   partitions, and keeps the name (in those streams' cursors) only until it has read them to the end;
 * - sweep job records with the scope's names: a record it left open is read in the current form.
 * Nothing here is written any more.
 */

const PREVIOUS_SHARDS = 16;

export function previousWatermarksId(pairId: string): string {
  return `#revoked#${shardOf(pairId, PREVIOUS_SHARDS)}`;
}

function entryName(realm: string | null, username: string | null): string {
  return `w_${createHash('sha256')
    .update(JSON.stringify([realm, username]))
    .digest('base64url')
    .slice(0, 22)}`;
}

function entryNames(realm: string, username: string): string[] {
  return [entryName(realm, null), entryName(null, username), entryName(realm, username)];
}

/** The latest of the previous version's watermarks, in its shard item, that applies to a pair of this realm and user. */
export function previousLatest(item: Record<string, unknown> | undefined, realm: string, username: string): number | undefined {
  const marks = entryNames(realm, username)
    .map((name) => item?.[name])
    .filter((value): value is number => typeof value === 'number');
  return marks.length === 0 ? undefined : Math.max(...marks);
}

/** Refresh's ConditionCheck on the previous version's shard item, for a pair it issued. */
export function previousNotRevokedCheck(pairId: string, realm: string, username: string, createdAt: number): WatermarkCheck {
  const names = entryNames(realm, username);
  return {
    Key: { id: previousWatermarksId(pairId) },
    ConditionExpression: names.map((_, i) => `(attribute_not_exists(#w${i}) OR #w${i} < :createdAt)`).join(' AND '),
    ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#w${i}`, name])),
    ExpressionAttributeValues: { ':createdAt': createdAt },
  };
}

/** A stream of the username index as the previous version keyed it: its partition (holding the name) follows the prefix. */
const BY_NAME = 'by-name:';
/** DynamoDB's limit on a key: a longer name can have no pair in the previous version's index. */
const KEY_MAX_BYTES = 2_048;

/** The previous version's streams of a username, if a pair of it could have been indexed there. */
export function previousUserStreams(username: string, shards: number): SweepCursor[] {
  if (Buffer.byteLength(`${username}#${shards - 1}`) > KEY_MAX_BYTES) return [];
  return Array.from({ length: shards }, (_, shard) => ({ stream: `${BY_NAME}${username}#${shard}` }));
}

/** The index partition a stream reads: its own for a previous version's stream, else `<key>#<stream>`. */
export function partitionOf(cursor: SweepCursor, key: string): string {
  return cursor.stream.startsWith(BY_NAME) ? cursor.stream.slice(BY_NAME.length) : `${key}#${cursor.stream}`;
}

/**
 * A job record of the previous version, whose scope holds the username as sent, in the current form: the
 * user by digest, and its user streams (which read partitions keyed by the name) as previous-version streams.
 */
export function currentJob(job: SweepJob): SweepJob {
  const { username, ...rest } = job.scope as { realm?: string; username?: string };
  if (username === undefined) return job;
  return {
    ...job,
    scope: { ...rest, user: userDigest(username) },
    cursors: job.cursors.map((cursor) =>
      cursor.stream.startsWith(BY_NAME) ? cursor : { ...cursor, stream: `${BY_NAME}${username}#${cursor.stream}` },
    ),
  };
}
