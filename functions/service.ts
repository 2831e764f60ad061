import { eventBridgeRevocationEvents } from './aws/eventbridge-revocation-events';
import type { Clock } from './clock';
import { type Administration, administrationOf } from './composition/administration';
import { type Core, type CoreOverrides, createCore } from './composition/core';
import { type SingleSignOn, singleSignOn } from './composition/single-sign-on';
import { lambdaContinuation, type Sweeps, sweepsFor } from './composition/sweeps';
import type { Config } from './config';
import type { AccountChanges } from './security/authc/account-changes';
import { localRealmSettings } from './security/authc/realm-settings/settings-yaml';
import { WatchedConfigDirectory } from './security/config-directory/watched-config-directory';
import { logger } from './telemetry/logger';
import type { SweepJobStore } from './tokens/sweep-jobs';
import type { SweepContinuation, SweepRunner } from './tokens/sweep-runner';

/**
 * Every part of the service on one core: what the local API and the tests run. A deployed function builds
 * only its own parts (composition/function-service.ts).
 */
export type Service<C extends SweepContinuation = SweepContinuation> = Core & Sweeps<C> & Administration & SingleSignOn;

export interface ServiceOverrides<C extends SweepContinuation = SweepContinuation> extends CoreOverrides {
  /** Where sweep jobs are recorded (tests wrap it to inject crashes). */
  readonly sweepJobs?: SweepJobStore;
  /**
   * Where a sweep out of time goes on: the local API's in-process continuation, or in tests the Lambda
   * continuation over a fake Lambda. Without it, the Lambda continuation when run as a function.
   */
  readonly continuation?: (runner: SweepRunner) => C;
}

/** The file realm's files, re-read when they change, as Elasticsearch re-reads them. */
const watchedConfigDirectory = (directory: string, clock: Clock, accountChanges: AccountChanges) =>
  new WatchedConfigDirectory({ directory, clock, warn: (m) => logger.warn(m), accountChanges });

/** The union of every part, built at once. */
export function createService<C extends SweepContinuation = SweepContinuation>(
  config: Config,
  overrides: ServiceOverrides<C> = {},
): Service<C> {
  const settings = localRealmSettings(config);
  const core = createCore(config, {
    configDirectory: watchedConfigDirectory,
    settings,
    revocationEvents: eventBridgeRevocationEvents,
    ...overrides,
  });
  // Without an override C is SweepContinuation, which the Lambda continuation is.
  const continuation = overrides.continuation ?? (lambdaContinuation(config) as unknown as (runner: SweepRunner) => C);
  const sweeps = sweepsFor(core, { continuation, jobs: overrides.sweepJobs });
  return {
    ...core,
    ...sweeps,
    ...administrationOf(core),
    ...singleSignOn(core, sweeps.invalidation, settings),
  };
}
