import { StorageUnavailableError } from '../errors';
import { type RetryPolicy, retry } from '../retry';
import { InvalidationTally } from './invalidation-tally';
import { type ScopeKey, scopeKeyOf } from './scope-digest';
import { Semaphore } from './semaphore';
import { PAIR_LIFETIME_MS } from './token-pair';
import {
  type ActivityBounds,
  type CreationWindow,
  type InvalidationId,
  type InvalidationScope,
  type InvalidationStore,
  newInvalidationId,
  type PairPage,
  type SweepCursor,
  type SweptPair,
} from './token-store';

/**
 * IV-8..IV-10: the bookkeeping of realm- and user-wide invalidation, as paginated conditional updates over
 * the sparse, sharded indexes. The effect does not depend on it: a revocation watermark, written before
 * the sweep starts (revocation.ts), already refuses every token of the scope. The sweep flips the pairs so
 * that counts and single-token answers stay exact and the indexes shrink.
 *
 * The sweep has two phases:
 *   sweep    every pair of the scope created within the refresh lifetime up to the request, shard by shard;
 *   catch-up after a settle delay, the pairs created in the moments before the request again. The
 *            indexes are eventually consistent (propagation is usually well under a second), so a pair
 *            created just before the request might not have been visible to the first phase; the
 *            second phase reads the index once it has settled. Pairs already invalidated fail the
 *            write's activity condition and are not counted twice.
 *
 * The time budget bounds the answer: no write starts once it is spent (except those of a run's first page,
 * so that every run advances), those in flight are awaited for at most `drainMs`, and what is left is
 * returned as a job whose cursors resume after the last pair of each stream that was dealt with.
 */

type SweepPhase = 'sweep' | 'catch-up';

/** A sweep in progress; plain JSON, so it can be stored and resumed by another invocation. */
export interface SweepJob {
  /** The scope as kept: the username only by digest (scope-digest.ts). */
  readonly scope: ScopeKey;
  /** When the request arrived: the instant the contract's "active" is decided at, and the watermark's. */
  readonly requestedAt: number;
  /** The request's id, stored on every half the sweep invalidates (see InvalidationId); also the job's id. */
  readonly operation: InvalidationId;
  readonly phase: SweepPhase;
  readonly cursors: readonly SweepCursor[];
  /** Consecutive runs in which no index page could be read; the sweep gives up after a few. */
  readonly stalledRuns?: number;
  /**
   * RF-1: the refresh lifetime when the request arrived (REFRESH_TOKEN_LIFETIME): the sweep reads the pairs
   * created that long before it, and the record is kept as long. 24 h in records written before it was a setting.
   */
  readonly lifetimeMs?: number;
}

/**
 * A page read or pair write that meets throttling or a transient fault is tried again, after a pause growing
 * from 50 ms to at most 1 s with full jitter, so that writes throttled together spread out. A test's sweep
 * may set other attempts (`SweepOptions.attempts`).
 */
export const SWEEP_RETRY: RetryPolicy = { attempts: 5, firstPauseMs: 50, maxPauseMs: 1_000, jitter: 'full' };

/** How far back a job's pairs can have been created: its lifetime, or Elasticsearch's 24 h. */
export const lifetimeOf = (job: Pick<SweepJob, 'lifetimeMs'>): number => job.lifetimeMs ?? PAIR_LIFETIME_MS;

/** A sweep whose index reads keep failing (a deleted table, revoked access) ends, reported, instead of looping. */
export const MAX_STALLED_RUNS = 3;

export interface SweepOutcome {
  readonly tally: InvalidationTally;
  /** Present when the budget ran out first: where the job stands. */
  readonly remaining?: SweepJob;
  /** Present when the sweep gave up, its index reads failing run after run: where it stood, for a redrive. */
  readonly gaveUp?: SweepJob;
}

export interface SweepOptions {
  readonly store: InvalidationStore;
  /** Wall time after which a run starts no more writes. */
  readonly budgetMs: number;
  /** How long, past the budget, a run waits for the writes it has in flight before it hands on. */
  readonly drainMs: number;
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

export interface RunOptions {
  /** Told where the job stands after each page, so that it can be saved (sweep-runner.ts). */
  readonly onProgress?: (job: SweepJob) => void;
  /** When the budget started (elapsed()): the request's arrival, so the work before the sweep counts too. */
  readonly startedAt?: number;
}

/** The job of a scope as sent, which some pair can belong to (scopeKeyOf). */
export function newSweepJob(
  sent: InvalidationScope,
  requestedAt: number,
  store: InvalidationStore,
  operation: InvalidationId = newInvalidationId(),
  lifetimeMs: number = PAIR_LIFETIME_MS,
): SweepJob {
  const scope = scopeKeyOf(sent);
  if (scope === undefined) throw new Error('no token pair can belong to this scope');
  return { scope, requestedAt, operation, phase: 'sweep', cursors: store.sweepStart(scope, sent.username), lifetimeMs };
}

/** The budget of one run; `drained` waits for writes in flight, at most `drainMs` past the budget. */
class RunBudget {
  /** Whether a page has been exempted from the budget in this run (the first one read). */
  exempted = false;

  constructor(
    private readonly elapsed: () => number,
    private readonly started: number,
    private readonly budgetMs: number,
    private readonly drainMs: number,
  ) {}

  spent(): boolean {
    return this.elapsed() - this.started >= this.budgetMs;
  }

  /** A real timer: the bound on the answer must hold even if a write never returns. */
  async drained(work: Promise<unknown>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const wait = Math.max(0, this.started + this.budgetMs + this.drainMs - this.elapsed());
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, wait);
    });
    try {
      await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}

export class InvalidationSweep {
  constructor(private readonly options: SweepOptions) {}

  async run(job: SweepJob, runOptions: RunOptions = {}): Promise<SweepOutcome> {
    const { store, budgetMs, drainMs, settleMs, elapsed, pause } = this.options;
    const started = runOptions.startedAt ?? elapsed();
    const budget = new RunBudget(elapsed, started, budgetMs, drainMs);
    const tally = new InvalidationTally();
    const bounds: ActivityBounds = { now: job.requestedAt, createdNotBefore: job.requestedAt - lifetimeOf(job) };

    let current: SweepJob = job;
    for (;;) {
      const { left, pagesRead } = await this.runPhase(current, bounds, tally, budget, runOptions.onProgress);
      if (left.length > 0) {
        const stalledRuns = pagesRead === 0 ? (current.stalledRuns ?? 0) + 1 : 0;
        const stands: SweepJob = { ...current, cursors: left, stalledRuns };
        if (stalledRuns >= MAX_STALLED_RUNS) return { tally, gaveUp: { ...stands, stalledRuns: 0 } };
        return { tally, remaining: stands };
      }
      if (current.phase === 'catch-up' || settleMs === 0) return { tally };
      current = { ...current, phase: 'catch-up', cursors: store.sweepStart(current.scope), stalledRuns: 0 };
      runOptions.onProgress?.(current);
      if (budget.spent()) return { tally, remaining: current };
      // The indexes need `settleMs` after the request's arrival, not after the sweep: a long sweep has waited enough.
      await pause(Math.max(0, settleMs - (elapsed() - started)));
    }
  }

  /** Runs every stream of a phase until it is exhausted or the budget is spent; returns the cursors left. */
  private async runPhase(
    job: SweepJob,
    bounds: ActivityBounds,
    tally: InvalidationTally,
    budget: RunBudget,
    onProgress: RunOptions['onProgress'],
  ) {
    const window: CreationWindow =
      job.phase === 'sweep'
        ? { from: bounds.createdNotBefore, to: job.requestedAt }
        : { from: Math.max(bounds.createdNotBefore, job.requestedAt - this.options.catchUpWindowMs), to: job.requestedAt };
    const writes = new Semaphore(this.options.concurrency);
    const positions = new Map(job.cursors.map((cursor) => [cursor.stream, cursor]));
    let pagesRead = 0;
    await Promise.all(
      job.cursors.map(async (start) => {
        let cursor: SweepCursor | undefined = start;
        while (cursor !== undefined && !(budget.exempted && budget.spent())) {
          const reading: SweepCursor = cursor;
          let page: PairPage;
          try {
            page = await this.withRetries(() => this.options.store.nextPage(job.scope, reading, window, this.options.pageSize));
          } catch (error) {
            // The pairs behind this cursor are unknown: say so, and keep the cursor for a later run.
            tally.addFailure('tokens', error);
            return;
          }
          pagesRead++;
          const exempt = !budget.exempted;
          budget.exempted = true;
          cursor = await this.settlePage(page, reading, { bounds, operation: job.operation, tally, writes, budget, exempt });
          if (cursor === undefined) positions.delete(reading.stream);
          else positions.set(reading.stream, cursor);
          onProgress?.({ ...job, cursors: [...positions.values()] });
          if (cursor === reading) return;
        }
      }),
    );
    return { left: [...positions.values()], pagesRead };
  }

  /**
   * Invalidates the pairs of a page, in index order, starting none once the budget is spent (unless the page
   * is exempt); returns where the stream resumes: after the last pair of the prefix that was dealt with.
   */
  private async settlePage(
    page: PairPage,
    from: SweepCursor,
    run: {
      bounds: ActivityBounds;
      operation: InvalidationId;
      tally: InvalidationTally;
      writes: Semaphore;
      budget: RunBudget;
      exempt: boolean;
    },
  ): Promise<SweepCursor | undefined> {
    const done = page.pairs.map(() => false);
    const writes = page.pairs.map(({ pairId }, i) =>
      run.writes.run(async () => {
        if (!run.exempt && run.budget.spent()) return;
        await this.invalidatePair(pairId, run.bounds, run.operation, run.tally);
        done[i] = true;
      }),
    );
    await run.budget.drained(Promise.all(writes));
    const firstOpen = done.indexOf(false);
    if (firstOpen === -1) return page.next;
    return firstOpen === 0 ? from : (page.pairs[firstOpen - 1] as SweptPair).resumeAfter;
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

  /** Retries throttling and transient faults (SWEEP_RETRY). */
  private withRetries<T>(call: () => Promise<T>): Promise<T> {
    const { attempts, pause } = this.options;
    return retry({ ...SWEEP_RETRY, attempts }, call, {
      retryIf: (error) => error instanceof StorageUnavailableError && error.retryable,
      pause,
    });
  }
}
