import { holds, type PairCondition, type PairStatus } from './pair-condition';
import type { ActivityBounds, InvalidationId, PairInvalidation, TokenHalf } from './token-store';

/**
 * IV-8's "active", half by half: the access half is neither invalidated nor expired; the refresh half
 * exists, is not invalidated, and its pair is not past 24 h. Declared once (pair-condition.ts): the code
 * evaluates it on a pair in hand, and the storage checks it inside the write, so a sweep never counts a
 * pair twice or one that died since the index was read.
 */
const HALF_IS_ACTIVE: Readonly<Record<TokenHalf, PairCondition>> = {
  access: { all: [{ isFalse: 'accessInvalidated' }, { notBefore: 'accessExpiresAt', bound: 'now' }] },
  refresh: {
    all: [{ present: 'refreshHash' }, { isFalse: 'refreshInvalidated' }, { notBefore: 'createdAt', bound: 'createdNotBefore' }],
  },
};

/** IV-8: a pair is active while either of its halves is. */
export const PAIR_IS_ACTIVE: PairCondition = { any: [HALF_IS_ACTIVE.access, HALF_IS_ACTIVE.refresh] };

/** RF-8: a refresh half may be rotated once: while it is active and not yet refreshed. */
export const REFRESH_IS_ROTATABLE: PairCondition = { all: [HALF_IS_ACTIVE.refresh, { absent: 'refreshedAt' }] };

export function isActive(pair: PairStatus, bounds: ActivityBounds): boolean {
  return holds(PAIR_IS_ACTIVE, pair, bounds);
}

/** IV-8: a pair's halves in the order they are reported, refresh half first, then access half. */
export function halvesOf(pair: PairStatus): TokenHalf[] {
  return pair.refreshHash === undefined ? ['access'] : ['refresh', 'access'];
}

const INVALIDATED: Record<TokenHalf, { flag: 'accessInvalidated' | 'refreshInvalidated'; by: keyof PairStatus }> = {
  access: { flag: 'accessInvalidated', by: 'accessInvalidatedBy' },
  refresh: { flag: 'refreshInvalidated', by: 'refreshInvalidatedBy' },
};

/**
 * Counts a half as this request's own when it was live before the write, or the write was this request's:
 * a half invalidated earlier keeps its first request's id, so the repeat of a write whose reply was lost
 * can tell its own work from another's.
 */
export function invalidatedByThis(before: PairStatus, half: TokenHalf, operation: InvalidationId): boolean {
  const { flag, by } = INVALIDATED[half];
  return !before[flag] || before[by] === operation;
}

/** Whether a write of this request was applied to the pair (whatever became of its reply). */
export function wasInvalidatedBy(pair: PairStatus, operation: InvalidationId): boolean {
  return halvesOf(pair).some((half) => pair[INVALIDATED[half].by] === operation);
}

/** A pair's halves as this request's invalidation counts them, from the pair before (or after) its write. */
export function countHalves(pair: PairStatus, operation: InvalidationId): PairInvalidation {
  const halves = halvesOf(pair);
  return {
    invalidated: halves.filter((half) => invalidatedByThis(pair, half, operation)),
    previouslyInvalidated: halves.filter((half) => !invalidatedByThis(pair, half, operation)),
  };
}

/** The pair after its `half` is invalidated by `operation`, the first invalidating request's id kept. */
export function withHalfInvalidated<T extends PairStatus>(pair: T, half: TokenHalf, operation: InvalidationId): T {
  const { flag, by } = INVALIDATED[half];
  return { ...pair, [flag]: true, [by]: pair[by] ?? operation };
}
