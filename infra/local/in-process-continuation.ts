import { logger } from '../../functions/telemetry/logger';
import type { SweepContinuation, SweepRunner } from '../../functions/tokens/sweep-runner';

/** The local API's continuation: the same process goes on after the response is sent. */
export class InProcessSweepContinuation implements SweepContinuation {
  private readonly pending = new Set<Promise<void>>();
  /** Failures are reported here; the request that started the sweep has already been answered. */
  constructor(
    private readonly runner: Pick<SweepRunner, 'resume' | 'orphans'>,
    private readonly onError: (error: unknown) => void,
  ) {}

  async continueLater(jobId: string, takeOver = false): Promise<void> {
    const run = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.runner.resume(jobId, { takeOver }))
      .then(() => undefined)
      .catch(this.onError)
      .finally(() => this.pending.delete(run));
    this.pending.add(run);
  }

  /**
   * The local API at its start: the jobs a previous process left open (it was the only one on its tables,
   * and it is gone) are taken over and finished.
   */
  async resumeOrphans(): Promise<number> {
    const orphans = await this.runner.orphans(true);
    for (const jobId of orphans) await this.continueLater(jobId, true);
    return orphans.length;
  }

  /** Resolves once every continued sweep has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}

/** The local API's continuation of `runner`, its failures logged (names only) as a deployed run's are. */
export function inProcessContinuation(runner: Pick<SweepRunner, 'resume' | 'orphans'>): InProcessSweepContinuation {
  return new InProcessSweepContinuation(runner, (error) =>
    logger.error('background invalidation failed', { errorName: (error as Error)?.name }),
  );
}
