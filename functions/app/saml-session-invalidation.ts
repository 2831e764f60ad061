import type { Clock } from '../clock';
import type { SessionPairs } from '../tokens/session-pairs';
import { PAIR_LIFETIME_MS } from '../tokens/token-pair';
import { newInvalidationId, type TokenStore } from '../tokens/token-store';

export interface SessionInvalidationParts {
  readonly store: TokenStore;
  readonly sessionPairs: SessionPairs;
  readonly clock: Clock;
  /** RF-1: REFRESH_TOKEN_LIFETIME; Elasticsearch's 24 h by default. */
  readonly refreshLifetimeMs?: number;
}

/**
 * SAML-I-4: invalidates both halves of every active pair of the session a LogoutRequest names (its realm and token
 * metadata, SAML-U-4: every key, an absent part '' on both sides). The pairs are found by the session itself,
 * from the index keyed by it (store/tables.ts), so the cost is the session's pairs, whatever else the realm holds:
 * one Query, then one UpdateItem per pair. Answers the pairs invalidated.
 *
 * Pairs issued before that index existed have no session key: a LogoutRequest does not find them, and they end
 * with their lifetime, or with a realm- or user-wide invalidation (docs/single-sign-on.md).
 */
export async function invalidateSession(
  { store, sessionPairs, clock, refreshLifetimeMs = PAIR_LIFETIME_MS }: SessionInvalidationParts,
  realm: string,
  session: Readonly<Record<string, string>>,
): Promise<number> {
  const now = clock();
  const bounds = { now, createdNotBefore: now - refreshLifetimeMs };
  const operation = newInvalidationId();
  let invalidated = 0;
  for (const pairId of await sessionPairs.pairIdsOf(realm, session, { from: bounds.createdNotBefore, to: now })) {
    if ((await store.invalidatePair(pairId, bounds, operation)) !== undefined) invalidated++;
  }
  return invalidated;
}
