import type { ScopeKey } from './scope-digest';
import type { TokenPair } from './token-pair';

/**
 * A revocation watermark: "every token pair of this scope created at or before `through` is invalid".
 *
 * A realm- or user-wide invalidation writes one before it sweeps, so its effect does not wait for the
 * sweep: every use of a token (authentication, refresh) reads the pair and the watermarks that could apply
 * to it in the same strongly consistent round trip, and refresh checks them again inside its transaction.
 * The sweep that follows is bookkeeping: it flips the pairs so counts and single-token answers stay exact
 * and the indexes shrink. A watermark outlives every pair it covers (`lifetimeMs`) and then expires by TTL.
 *
 * The one assumption is clock agreement: `through` is the invalidating function's clock and a pair's
 * createdAt the issuing function's. A pair issued in the instants before the invalidation by a clock
 * running ahead by more than their difference would escape both the watermark and the sweep's window.
 */
export interface RevocationWatermark {
  readonly scope: ScopeKey;
  /**
   * Epoch milliseconds, inclusive: the request's arrival, the same instant the sweep's window ends at. A
   * token issued in that very millisecond, even just after the request, is refused too: the safe side.
   */
  readonly through: number;
  /**
   * RF-1: how long a pair it covers can live (REFRESH_TOKEN_LIFETIME when written): it is kept that long.
   * Elasticsearch's 24 h when absent.
   */
  readonly lifetimeMs?: number;
}

/**
 * The realm and username a pair is invalidated under (IV-8: its realm, its user anywhere, its user in its
 * realm): the one place that says which fields of the pair they are, for the indexes, the watermarks and
 * the digests its tokens carry.
 */
export function scopeOfPair(pair: Pick<TokenPair, 'authentication'>): { realm: string; username: string } {
  return { realm: pair.authentication.authentication_realm.name, username: pair.authentication.username };
}

/**
 * The rule, written once: a pair is revoked when it was created at or before the latest watermark that
 * applies to it (`latestThrough`, undefined when none does).
 */
export function isRevoked(createdAt: number, latestThrough: number | undefined): boolean {
  return latestThrough !== undefined && createdAt <= latestThrough;
}
