import type { Clock } from '../clock';
import { PAIR_LIFETIME_MS } from '../tokens/token-pair';
import { newInvalidationId, type SweepCursor, type TokenStore } from '../tokens/token-store';

/** Pairs read from the realm's index per page. */
const PAGE_SIZE = 100;

/**
 * SAML-I-4: invalidates both halves of every active pair of the realm whose token metadata (SAML-U-4) equals
 * the session a LogoutRequest names, all of its keys (an absent part is '' on both sides). The realm's pairs
 * are read from the realm index and each pair's metadata from its item: no index is keyed by a SAML session,
 * so the cost grows with the realm's active pairs (said in docs/single-sign-on.md). Answers the matches found.
 */
export async function invalidateSession(
  store: TokenStore,
  clock: Clock,
  realm: string,
  session: Readonly<Record<string, string>>,
): Promise<number> {
  const now = clock();
  const window = { from: now - PAIR_LIFETIME_MS, to: now };
  const bounds = { now, createdNotBefore: now - PAIR_LIFETIME_MS };
  const operation = newInvalidationId();
  const scope = { realm };
  let matches = 0;
  const cursors: (SweepCursor | undefined)[] = store.sweepStart(scope);
  for (let cursor = cursors.shift(); cursor !== undefined; cursor = cursors.shift()) {
    const page = await store.nextPage(scope, cursor, window, PAGE_SIZE);
    for (const { pairId } of page.pairs) {
      const pair = await store.get({ pairId });
      const stored = pair?.tokenMetadata;
      if (stored === undefined || !Object.entries(session).every(([key, value]) => stored[key] === value)) continue;
      matches++;
      await store.invalidatePair(pairId, bounds, operation);
    }
    if (page.next !== undefined) cursors.push(page.next);
  }
  return matches;
}
