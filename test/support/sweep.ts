import { InvalidationSweep, type SweepOptions } from '../../functions/tokens/invalidation-sweep';
import type { InvalidationStore } from '../../functions/tokens/token-store';

/** A sweep with the production shape and test-sized settings: no settle wait, no backoff pauses. */
export function testSweep(store: InvalidationStore, overrides: Partial<SweepOptions> = {}): InvalidationSweep {
  return new InvalidationSweep({
    store,
    budgetMs: 60_000,
    settleMs: 0,
    catchUpWindowMs: 10_000,
    concurrency: 32,
    pageSize: 100,
    attempts: 5,
    elapsed: () => performance.now(),
    pause: async () => undefined,
    ...overrides,
  });
}
