import { LambdaSweepContinuation } from '../aws/lambda-sweep-continuation';
import type { Config } from '../config';
import { pause } from '../retry';
import { DynamoDbSweepJobStore } from '../store/dynamodb-sweep-jobs';
import { sweepTelemetry } from '../telemetry/sweep-telemetry';
import { InvalidationSweep, SWEEP_RETRY } from '../tokens/invalidation-sweep';
import type { SweepJobStore } from '../tokens/sweep-jobs';
import { type SweepContinuation, SweepRunner } from '../tokens/sweep-runner';
import { TokenInvalidation } from '../tokens/token-invalidation';
import type { Core } from './core';

/** The invalidation API's part: single pairs, and realm- and user-wide invalidations as durable jobs. */
export interface Sweeps<C extends SweepContinuation = SweepContinuation> {
  readonly invalidation: TokenInvalidation;
  /** Realm- and user-wide invalidations as durable jobs: started by a request, resumed from their records. */
  readonly sweeps: SweepRunner;
  readonly continuation: C;
}

export interface SweepsOptions<C extends SweepContinuation> {
  /** Where a sweep out of time goes on: the function itself when deployed, the process for the local API. */
  readonly continuation: (runner: SweepRunner) => C;
  /** Where sweep jobs are recorded (tests wrap it to inject crashes). */
  readonly jobs?: SweepJobStore;
}

/** A run may hold its job this long without reporting: more than a function's 29 s timeout. */
const SWEEP_LEASE_MS = 60_000;

/** The deployed continuation: the function invokes itself (aws/lambda-sweep-continuation.ts). */
export function lambdaContinuation(config: Config): () => SweepContinuation {
  return () => {
    const { functionName } = config;
    if (functionName === undefined) return { continueLater: async () => Promise.reject(new NoContinuationError()) };
    return new LambdaSweepContinuation(functionName);
  };
}

/** Outside Lambda a sweep can only go on where the caller said: the local API passes its in-process continuation. */
class NoContinuationError extends Error {
  constructor() {
    super('no sweep continuation outside Lambda: the local API runs sweeps on in its own process');
    this.name = 'NoContinuationError';
  }
}

export function sweepsFor<C extends SweepContinuation>(core: Core, options: SweepsOptions<C>): Sweeps<C> {
  const { config, tokenStore: store, clock, documents } = core;
  const sweep = new InvalidationSweep({
    store,
    budgetMs: config.invalidationBudgetMs,
    drainMs: config.invalidationDrainMs,
    settleMs: config.invalidationSettleMs,
    catchUpWindowMs: 10_000,
    concurrency: config.invalidationConcurrency,
    pageSize: config.invalidationPageSize,
    attempts: SWEEP_RETRY.attempts,
    elapsed: () => performance.now(),
    pause,
  });
  const sweeps = new SweepRunner({
    sweep,
    store,
    jobs: options.jobs ?? new DynamoDbSweepJobStore(documents, config.tokensTable),
    continuation: options.continuation,
    clock,
    leaseMs: SWEEP_LEASE_MS,
    elapsed: () => performance.now(),
    events: sweepTelemetry,
    refreshLifetimeMs: config.refreshTokenLifetimeMs,
  });
  const invalidation = new TokenInvalidation({
    store,
    clock,
    sweeps,
    refreshLifetimeMs: config.refreshTokenLifetimeMs,
    events: core.revocationEvents,
  });
  // The runner built its continuation from `options.continuation`, whose type is C.
  return { invalidation, sweeps, continuation: sweeps.continuation as C };
}
