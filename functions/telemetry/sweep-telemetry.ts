import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SweepEvents } from '../tokens/sweep-runner';
import { logger } from './logger';
import { METRIC_NAMES, metrics } from './metrics';

/** Names only: the job's id and counts. Scopes name users and realms, which the log has no need of. */
export const sweepTelemetry: SweepEvents = {
  resumed(job) {
    metrics.addMetric(METRIC_NAMES.sweepsResumed, MetricUnit.Count, 1);
    logger.info('invalidation sweep resumed', { jobId: job.operation, phase: job.phase, streams: job.cursors.length });
  },
  gaveUp(job, tally) {
    metrics.addMetric(METRIC_NAMES.sweepsFailed, MetricUnit.Count, 1);
    logger.error('invalidation sweep gave up: its index reads kept failing; redrive it once the cause is fixed', {
      jobId: job.operation,
      streamsLeft: job.cursors.length,
      invalidated: tally.invalidated,
      errors: tally.errors.length,
    });
  },
  handOffFailed(job, error) {
    metrics.addMetric(METRIC_NAMES.sweepHandOffsFailed, MetricUnit.Count, 1);
    logger.error('invalidation sweep could not be handed on; the scheduled resumer takes it up', {
      jobId: job.operation,
      errorName: (error as Error)?.name,
    });
  },
};
