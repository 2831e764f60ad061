import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger } from './logger';
import { METRIC_NAMES, metrics } from './metrics';

/** What the log reads of a sweep job (tokens/invalidation-sweep.ts): its id, phase and streams left. */
interface JobFacts {
  readonly operation: string;
  readonly phase: string;
  readonly cursors: readonly unknown[];
}

/** What the log reads of a run's tally (tokens/invalidation-tally.ts): counts only. */
interface TallyFacts {
  readonly invalidated: number;
  readonly errors: readonly unknown[];
}

/**
 * The runner's SweepEvents (tokens/sweep-runner.ts), told as logs and metrics. Names only: the job's id and
 * counts. Scopes name users and realms, which the log has no need of.
 */
export const sweepTelemetry = {
  resumed(job: JobFacts) {
    metrics.addMetric(METRIC_NAMES.sweepsResumed, MetricUnit.Count, 1);
    logger.info('invalidation sweep resumed', { jobId: job.operation, phase: job.phase, streams: job.cursors.length });
  },
  gaveUp(job: JobFacts, tally: TallyFacts) {
    metrics.addMetric(METRIC_NAMES.sweepsFailed, MetricUnit.Count, 1);
    logger.error('invalidation sweep gave up: its index reads kept failing; redrive it once the cause is fixed', {
      jobId: job.operation,
      streamsLeft: job.cursors.length,
      invalidated: tally.invalidated,
      errors: tally.errors.length,
    });
  },
  handOffFailed(job: JobFacts, error: unknown) {
    metrics.addMetric(METRIC_NAMES.sweepHandOffsFailed, MetricUnit.Count, 1);
    logger.error('invalidation sweep could not be handed on; the scheduled resumer takes it up', {
      jobId: job.operation,
      errorName: (error as Error)?.name,
    });
  },
};
