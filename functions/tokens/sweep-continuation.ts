import type { InvalidationSweep, SweepJob } from './invalidation-sweep';

/**
 * Where a realm- or user-wide invalidation that ran out of time goes on. Deployed, the function invokes
 * itself asynchronously with the job (aws/lambda-sweep-continuation.ts); locally, it goes on in-process.
 */
export interface SweepContinuation {
  continueLater(job: SweepJob): Promise<void>;
}

/** Runs a sweep job to the end, one budgeted run after the other. */
export async function runToEnd(sweep: InvalidationSweep, job: SweepJob): Promise<void> {
  let next: SweepJob | undefined = job;
  while (next !== undefined) next = (await sweep.run(next)).remaining;
}

/** The local API's continuation: the same process goes on after the response is sent. */
export class InProcessSweepContinuation implements SweepContinuation {
  private readonly pending = new Set<Promise<void>>();
  /** Failures are reported here; the request that started the sweep has already been answered. */
  constructor(
    private readonly sweep: () => InvalidationSweep,
    private readonly onError: (error: unknown) => void,
  ) {}

  async continueLater(job: SweepJob): Promise<void> {
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => runToEnd(this.sweep(), job))
      .catch(this.onError)
      .finally(() => this.pending.delete(run));
    this.pending.add(run);
  }

  /** Resolves once every continued sweep has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
