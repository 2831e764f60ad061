import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger } from './logger';
import { metrics } from './metrics';

/**
 * The token lifecycle policies (tokens/lifecycle), told as logs and metrics. What is logged names the realm and
 * the kind of event, never a username, a token or its hash: a reused refresh token is told by its pair's id
 * only. This is also where an audit log would hear of these events.
 */
const LIFECYCLE_METRICS = {
  /** LC-1: an account change refused the user's tokens in its realm. */
  revokedOnAccountChange: 'TokensRevokedOnAccountChange',
  /** LC-2: a refresh token came back after its 30-second window: its family was revoked. */
  refreshReuseDetected: 'RefreshTokenReuseDetected',
  /** LC-2: the family of a reused refresh token could not be revoked in full (storage failed). */
  familyRevocationsFailed: 'RefreshFamilyRevocationsFailed',
} as const;

export const lifecycleTelemetry = {
  revokedOnAccountChange(change: { readonly realm: string; readonly kind: string }) {
    metrics.addMetric(LIFECYCLE_METRICS.revokedOnAccountChange, MetricUnit.Count, 1);
    logger.info('tokens revoked on account change', { realm: change.realm, change: change.kind });
  },
  /** LC-2: the ReuseEvents of tokens/lifecycle/refresh-reuse.ts. */
  reuse: {
    detected(reuse: { readonly pairId: string; readonly realm: string; readonly pairsRevoked: number }) {
      metrics.addMetric(LIFECYCLE_METRICS.refreshReuseDetected, MetricUnit.Count, 1);
      logger.warn('refresh token reused after its 30-second window: its token family was revoked', { ...reuse });
    },
    revocationFailed(reuse: { readonly pairId: string; readonly realm: string }, error: unknown) {
      metrics.addMetric(LIFECYCLE_METRICS.familyRevocationsFailed, MetricUnit.Count, 1);
      logger.error('refresh token reused, but its token family could not be revoked in full', {
        ...reuse,
        errorName: (error as Error)?.name,
        errorMessage: (error as Error)?.message,
      });
    },
  },
};
