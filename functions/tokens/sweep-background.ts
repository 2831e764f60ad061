import { logger } from '../telemetry/logger';
import { publishMetrics } from '../telemetry/metrics';
import type { SweepRunner } from './sweep-runner';

/** A sweep job that failed in a background run: thrown so that Lambda retries it, then sends it to the failure queue. */
class SweepFailedError extends Error {
  constructor(readonly jobId: string) {
    super(`invalidation sweep ${jobId} gave up`);
    this.name = 'SweepFailedError';
  }
}

/**
 * A sweep handed on to a background run (or a retry or redrive of one): one budget of it from its record,
 * the rest handed on again. A job that gave up — or a job this run could not read — fails the run, so that
 * the event ends in the on-failure destination rather than vanishing.
 */
export async function continueSweep(
  sweeps: Pick<SweepRunner, 'resume'>,
  { jobId, redrive }: { readonly jobId: string; readonly redrive?: boolean },
): Promise<void> {
  try {
    // Lambda's retries of an event that gave up fail again at once, so the event reaches the failure queue.
    const result = await sweeps.resume(jobId, { failed: redrive === true });
    if (result === undefined) return void logger.info('invalidation sweep not taken: done, or held by another run');
    logger.info('background invalidation', {
      jobId,
      invalidated: result.tally.invalidated,
      previouslyInvalidated: result.tally.previouslyInvalidated,
      errors: result.tally.errors.length,
      continuing: result.continuing,
    });
    if (result.failed) throw new SweepFailedError(jobId);
  } finally {
    publishMetrics();
  }
}

/** The scheduled resumer: hands on every job whose runner stopped reporting (crashed, timed out, lost its hand-off). */
export async function resumeOrphanedSweeps(sweeps: Pick<SweepRunner, 'orphans' | 'continuation'>): Promise<void> {
  const orphans = await sweeps.orphans();
  for (const jobId of orphans) await sweeps.continuation.continueLater(jobId);
  if (orphans.length > 0) logger.info('invalidation sweeps handed on by the resumer', { jobs: orphans.length });
}
