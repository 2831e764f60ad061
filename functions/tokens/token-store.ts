import { randomBytes } from 'node:crypto';
import type { RevocationWatermark } from './revocation';
import type { InvalidationScope, ScopeDigests, ScopeKey } from './scope-digest';
import type { TokenPair } from './token-pair';

/** Declared beside the digests that key its watermarks (scope-digest.ts); read by every store. */
export type { InvalidationScope };

/** How the old pair is marked when its refresh token is used (RF-6). */
export interface RefreshMark {
  readonly refreshedAt: number;
  readonly superseding: string;
  /** RF-3: the old pair must have been created at or after this instant. */
  readonly createdNotBefore: number;
  /** When the old pair was created: no revocation watermark of its scopes may cover it (checked in the write). */
  readonly oldCreatedAt: number;
}

/**
 * A pair as a token names it: its id, and the digests of its realm and username that name the watermarks to
 * read with it. Without digests (a token of the previous version), the store finds the watermarks from the
 * pair as read, at the cost of a second round trip; such tokens are gone 24 h after the upgrade.
 */
export interface PairRef {
  readonly pairId: string;
  readonly scope?: ScopeDigests;
}

/** A pair as read for a use of one of its tokens: with the revocation watermarks that apply to it. */
export interface ReadPair extends TokenPair {
  /** The latest watermark of the pair's realm, user or user in realm; undefined when none applies (revocation.ts). */
  readonly latestRevocation?: number;
}

/**
 * `rotated`: the old pair is marked and the successor stored, both at once.
 * `lost`: nothing was written, because the old pair was meanwhile refreshed, invalidated or is too old;
 * the caller reads it again to learn which.
 */
export type RotationOutcome = 'rotated' | 'lost';

/** The storage the token domain needs; the DynamoDB adapter is store/dynamodb-token-store.ts. */
export interface TokenStore extends InvalidationStore {
  /** Stores a new pair; fails if the id is taken (it never is: 128 random bits). */
  create(pair: TokenPair): Promise<void>;
  /**
   * A strongly consistent read of the pair and of the watermarks of the scopes `ref` names, in one round
   * trip: a token answered a moment ago must authenticate now, and one revoked a moment ago must not. The
   * caller checks the digests against the pair (a mismatch reads another scope's watermarks).
   */
  get(ref: PairRef): Promise<ReadPair | undefined>;
  /**
   * RF-8: marks `oldPairId` refreshed and creates `successor` atomically, provided the old refresh half is
   * not invalidated, not yet refreshed, the pair not expired and not revoked by a watermark. Either both
   * writes happen or neither.
   */
  rotate(old: PairRef, mark: RefreshMark, successor: TokenPair): Promise<RotationOutcome>;
}

/** One of the two halves of a pair. */
export type TokenHalf = 'access' | 'refresh';

/** IV-5, IV-6, IV-7: what marking one half did. */
export type HalfInvalidation = 'invalidated' | 'previously_invalidated' | 'not_found';

/**
 * Where a sweep over the pairs of a scope stands. The storage decides what it holds (for DynamoDB: one
 * cursor per index shard and the last key read); it is plain JSON, so a sweep can be handed to another
 * invocation and resumed there.
 */
export interface SweepCursor {
  readonly stream: string;
  readonly after?: Readonly<Record<string, string | number>>;
}

/** A pair a sweep read, and where its stream resumes once the pair is dealt with. */
export interface SweptPair {
  readonly pairId: string;
  readonly resumeAfter: SweepCursor;
}

export interface PairPage {
  /** In index order: a sweep that stops part-way resumes after the last pair of a prefix it finished. */
  readonly pairs: readonly SweptPair[];
  /** Absent when the stream is exhausted. */
  readonly next?: SweepCursor;
}

/** Creation instants, both inclusive. */
export interface CreationWindow {
  readonly from: number;
  readonly to: number;
}

/** One half of one pair, as a presented token names it (IV-5, IV-6). */
export interface HalfTarget {
  readonly pairId: string;
  readonly half: TokenHalf;
  /** The hash of the presented secret: the write's condition. */
  readonly secretHash: string;
  /** The access half of a pair without a refresh half: invalidating it leaves the pair with nothing active. */
  readonly soleHalf: boolean;
}

/** IV-8: what invalidating a whole pair did, half by half. */
export interface PairInvalidation {
  readonly invalidated: readonly TokenHalf[];
  readonly previouslyInvalidated: readonly TokenHalf[];
}

export type ReadBack = { readonly applied: PairInvalidation } | { readonly active: readonly TokenHalf[] };

/** The instants that decide whether a pair is still active (IV-8). */
export interface ActivityBounds {
  readonly now: number;
  /** Pairs created before this are past 24 h. */
  readonly createdNotBefore: number;
}

/**
 * The id of one invalidation request, stored on each half it invalidates. A write whose reply was lost
 * (a timeout after DynamoDB applied it) is sent again by the SDK or the sweep's retry; the repeat finds
 * the half already invalidated and, by this id, knows it was its own work, so the half is counted as
 * invalidated once rather than as previously invalidated or not at all.
 */
export type InvalidationId = string;

export function newInvalidationId(random: (size: number) => Buffer = randomBytes): InvalidationId {
  return random(12).toString('base64url');
}

/** The storage side of invalidation. */
export interface InvalidationStore {
  /**
   * IV-5, IV-6: marks one half of the pair whose half has this secret hash, if the pair is younger than
   * `createdNotBefore`; one conditional write, counted from the old values. `operation` is the id of the
   * invalidation request, recorded on the half it invalidates (see InvalidationId).
   */
  invalidateHalf(target: HalfTarget, bounds: ActivityBounds, operation: InvalidationId): Promise<HalfInvalidation>;
  /**
   * Records the watermark in the storage every use of a token reads (see revocation.ts); resolves once it
   * holds, so that no token of the scope created up to `through` is accepted any more. Idempotent.
   */
  revoke(watermark: RevocationWatermark): Promise<void>;
  /**
   * The first cursor of every stream of pairs in a scope. `username`, the name as sent, when the caller has
   * it: pairs issued before the upgrade are indexed by name, and their streams keep it (in their cursors)
   * until they are read to the end.
   */
  sweepStart(scope: ScopeKey, username?: string): SweepCursor[];
  /**
   * The next page of pairs of the scope that had an active half when last written, created within
   * `window` (inclusive). The underlying index is eventually consistent; see invalidation-sweep.ts.
   */
  nextPage(scope: ScopeKey, cursor: SweepCursor, window: CreationWindow, limit: number): Promise<PairPage>;
  /**
   * IV-8: marks both halves of a pair that is still active (checked in the write itself), and takes it off
   * the indexes. Undefined when the pair is no longer active and `operation` invalidated none of its halves:
   * nothing to count.
   */
  invalidatePair(pairId: string, bounds: ActivityBounds, operation: InvalidationId): Promise<PairInvalidation | undefined>;
  /**
   * A pair whose invalidatePair failed, read back: what `operation` did to it if one of its writes was
   * applied after all (its reply lost), else the halves still active, to be reported as not invalidated.
   */
  readBack(pairId: string, bounds: ActivityBounds, operation: InvalidationId): Promise<ReadBack>;
}
