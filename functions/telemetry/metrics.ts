import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { AuthenticationError } from '../errors';
import { logger } from './logger';

// Outside Lambda (the local API, the tests) nothing collects EMF from stdout, so metrics are off there
// unless POWERTOOLS_METRICS_DISABLED says otherwise; Lambda and `sam local` set AWS_LAMBDA_FUNCTION_NAME.
if (process.env.AWS_LAMBDA_FUNCTION_NAME === undefined) process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

/**
 * The service's CloudWatch metrics, written as EMF lines on stdout (no API call on the request path).
 * They are counted here, in the HTTP layer, so the token domain stays free of AWS imports.
 */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || 'EsTokenService',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME || 'es-token-service',
  // The library's own diagnostics go to the structured log, not to a bare console line.
  logger,
});

export const METRIC_NAMES = {
  tokensIssued: 'TokensIssued',
  tokensRefreshed: 'TokensRefreshed',
  tokensInvalidated: 'TokensInvalidated',
  failedAuthentications: 'FailedAuthentications',
  /** A realm- or user-wide sweep gave up (its index reads kept failing); it waits for a redrive. */
  sweepsFailed: 'InvalidationSweepsFailed',
  /** A sweep job was taken up by another run: a continuation, the scheduled resumer or a redrive. */
  sweepsResumed: 'InvalidationSweepsResumed',
  /** A sweep could not be handed to its continuation; the resumer takes it up. */
  sweepHandOffsFailed: 'InvalidationSweepHandOffsFailed',
} as const;

/** Publishes what a run outside the HTTP pipeline (a background sweep) counted. */
export function publishMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

/** A token pair was issued by get-token: a new one, or the successor of a refreshed one. */
export function countTokenGrant(grantType: string): void {
  metrics.addMetric(
    grantType === 'refresh_token' ? METRIC_NAMES.tokensRefreshed : METRIC_NAMES.tokensIssued,
    MetricUnit.Count,
    1,
  );
}

/** Tokens (access or refresh) that an invalidation turned from valid to invalidated. */
export function countTokensInvalidated(count: number): void {
  if (count > 0) metrics.addMetric(METRIC_NAMES.tokensInvalidated, MetricUnit.Count, count);
}

/**
 * Counts every 401 (missing, wrong or expired credentials, a password grant for a wrong password) and
 * flushes the request's metrics once it is answered. Powertools' own `logMetrics` middleware would also
 * do the flushing, but it warns on every request that counted nothing (most authentications), filling the
 * log with noise; this flushes only when there is something to publish.
 */
export const recordMetrics = <E, R, C extends Context>(): MiddlewareObj<E, R, Error, C> => {
  const publish = () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  };
  return {
    before: ({ context }) => {
      metrics.captureColdStartMetric(context.functionName);
    },
    after: publish,
    onError: ({ error }) => {
      if (error instanceof AuthenticationError) metrics.addMetric(METRIC_NAMES.failedAuthentications, MetricUnit.Count, 1);
      publish();
    },
  };
};
