import { StorageUnavailableError } from '../errors';
import { InvalidationTally } from './invalidation-tally';
import { Semaphore } from './semaphore';
import { PAIR_LIFETIME_MS } from './token-pair';
import {
  type ActivityBounds,
  type CreationWindow,
  type InvalidationId,
  type InvalidationScope,
  type InvalidationStore,
  newInvalidationId,
  type SweepCursor,
} from './token-store';

/**
 * IV-8..IV-10: realm- and user-wide invalidation, as paginated conditional updates over the sparse,
 * sharded indexes.
 *
 * The sweep has two phases:
 *   sweep    every pair of the scope created in the last 24 h up to the request, shard by shard;
 *   catch-up after a settle delay, the pairs created in the moments before the request again. The
 *            indexes are eventually consistent (propagation is usually well under a second), so a pair
 *            created just before the request might not have been visible to the first phase; the
 *            second phase reads the index once it has settled. Pairs already invalidated fail the
 *            write's activity condition and are not counted twice.
 *
 * A time budget keeps a request inside API Gateway's 29 s. Each stream always advances by at least one
 * page, and what is left is returned as a job that another invocation resumes from the saved cursors.
 */

export type SweepPhase = 'sweep' | 'catch-up';

/** A sweep in progress; plain JSON, so it can be handed to another invocation. */
export interface SweepJob {
  readonly scope: InvalidationScope;
  /** When the request arrived: the instant the contract's "active" is decided at. */
  readonly requestedAt: number;
  /** The request's id, stored on every half the sweep invalidates (see InvalidationId). */
  readonly operation: InvalidationId;
  readonly phase: SweepPhase;
  readonly cursors: readonly SweepCursor[];
  /** Consecutive runs in which no index page could be read; the sweep gives up after a few. */
  readonly stalledRuns?: number;
}

/** A sweep whose index reads keep failing (a deleted table, revoked access) ends, reported, instead of looping. */
const MAX_STALLED_RUNS = 3;

export interface SweepOutcome {
  readonly tally: InvalidationTally;
  /** Present when the budget ran out first. */
  readonly remaining?: SweepJob;
}

export interface SweepOptions {
  readonly store: InvalidationStore;
  /** Wall time one invocation may spend before handing the rest on. */
  readonly budgetMs: number;
  /** How long the indexes are given to settle before the catch-up phase; 0 skips it. */
  readonly settleMs: number;
  /** How far before the request the catch-up phase looks. */
  readonly catchUpWindowMs: number;
  readonly concurrency: number;
  readonly pageSize: number;
  /** Attempts per storage call for throttling and transient faults. */
  readonly attempts: number;
  /** Monotonic milliseconds, for the budget. */
  readonly elapsed: () => number;
  readonly pause: (ms: number) => Promise<void>;
}

export function newSweepJob(
  scope: InvalidationScope,
  requestedAt: number,
  store: InvalidationStore,
  operation: InvalidationId = newInvalidationId(),
): SweepJob {
  return { scope, requestedAt, operation, phase: 'sweep', cursors: store.sweepStart(scope) };
}

export class InvalidationSweep {
  constructor(private readonly options: SweepOptions) {}

  async run(job: SweepJob): Promise<SweepOutcome> {
    const { store, budgetMs, settleMs, elapsed, pause } = this.options;
    const started = elapsed();
    const overBudget = () => elapsed() - started >= budgetMs;
    const tally = new InvalidationTally();
    const bounds: ActivityBounds = { now: job.requestedAt, createdNotBefore: job.requestedAt - PAIR_LIFETIME_MS };

    let current: SweepJob = job;
    for (;;) {
      const { left, pagesRead } = await this.runPhase(current, bounds, tally, overBudget);
      if (left.length > 0) {
        const stalledRuns = pagesRead === 0 ? (current.stalledRuns ?? 0) + 1 : 0;
        if (stalledRuns >= MAX_STALLED_RUNS) return { tally };
        return { tally, remaining: { ...current, cursors: left, stalledRuns } };
      }
      if (current.phase === 'catch-up' || settleMs === 0) return { tally };
      current = { ...current, phase: 'catch-up', cursors: store.sweepStart(current.scope) };
      if (overBudget()) return { tally, remaining: current };
      // The indexes need `settleMs` after the request's arrival, not after the sweep: a long sweep has waited enough.
      await pause(Math.max(0, settleMs - (elapsed() - started)));
    }
  }

  /** Runs every stream of a phase until it is exhausted or the budget is spent; returns the cursors left. */
  private async runPhase(job: SweepJob, bounds: ActivityBounds, tally: InvalidationTally, overBudget: () => boolean) {
    const window: CreationWindow =
      job.phase === 'sweep'
        ? { from: bounds.createdNotBefore, to: job.requestedAt }
        : { from: Math.max(bounds.createdNotBefore, job.requestedAt - this.options.catchUpWindowMs), to: job.requestedAt };
    const writes = new Semaphore(this.options.concurrency);
    const left: SweepCursor[] = [];
    let pagesRead = 0;
    await Promise.all(
      job.cursors.map(async (start) => {
        let cursor: SweepCursor | undefined = start;
        let advanced = false;
        while (cursor !== undefined) {
          if (advanced && overBudget()) {
            left.push(cursor);
            return;
          }
          const reading: SweepCursor = cursor;
          let page: Awaited<ReturnType<InvalidationStore['nextPage']>>;
          try {
            page = await this.withRetries(() => this.options.store.nextPage(job.scope, reading, window, this.options.pageSize));
          } catch (error) {
            // The pairs behind this cursor are unknown: say so, and leave the cursor for a later invocation.
            tally.addFailure('tokens', error);
            left.push(reading);
            return;
          }
          pagesRead++;
          await Promise.all(
            page.pairIds.map((pairId) => writes.run(() => this.invalidatePair(pairId, bounds, job.operation, tally))),
          );
          cursor = page.next;
          advanced = true;
        }
      }),
    );
    return { left, pagesRead };
  }

  /** IV-10: a pair is either counted, half by half, or each of its halves is reported. */
  private async invalidatePair(
    pairId: string,
    bounds: ActivityBounds,
    operation: InvalidationId,
    tally: InvalidationTally,
  ): Promise<void> {
    try {
      const result = await this.withRetries(() => this.options.store.invalidatePair(pairId, bounds, operation));
      if (result !== undefined) tally.addPair(result);
    } catch (error) {
      // The pair is read back: a write applied before its reply was lost is counted, else the halves still
      // at stake are reported; if even the read fails, both are.
      const state = await this.withRetries(() => this.options.store.readBack(pairId, bounds, operation)).catch(() => ({
        active: ['refresh', 'access'] as const,
      }));
      if ('applied' in state) tally.addPair(state.applied);
      else for (const half of state.active) tally.addFailure(half, error);
    }
  }

  /** Retries throttling and transient faults with exponential backoff and full jitter. */
  private async withRetries<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof StorageUnavailableError && error.retryable) || attempt >= this.options.attempts) throw error;
        await this.options.pause(Math.random() * Math.min(1_000, 25 * 2 ** attempt));
      }
    }
  }
}
