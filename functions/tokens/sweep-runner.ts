import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import type { InvalidationSweep, SweepJob } from './invalidation-sweep';
import { lifetimeOf, newSweepJob } from './invalidation-sweep';
import { InvalidationTally } from './invalidation-tally';
import { scopeKeyOf } from './scope-digest';
import type { ClaimOptions, Lease, SweepJobStore } from './sweep-jobs';
import type { InvalidationScope, InvalidationStore } from './token-store';

/**
 * The runner's port: where a realm- or user-wide invalidation that ran out of time goes on, by the id of its
 * job record. Deployed, the function invokes itself asynchronously (aws/lambda-sweep-continuation.ts); the
 * local API goes on in its own process (infra/local/in-process-continuation.ts).
 */
export interface SweepContinuation {
  continueLater(jobId: string): Promise<void>;
}

/** What a sweep's runs tell the operator (logs and metrics, sweep-telemetry.ts); nothing here may fail a run. */
export interface SweepEvents {
  /** A job was taken up by another run than the one that started it (a continuation, the resumer, a redrive). */
  resumed(job: SweepJob): void;
  /** A job gave up: its index reads failed run after run. It waits, recorded, for a redrive. */
  gaveUp(job: SweepJob, tally: InvalidationTally): void;
  /** A job could not be handed on to its continuation; the resumer takes it up once its lease has passed. */
  handOffFailed(job: SweepJob, error: unknown): void;
}

export interface SweepRunResult {
  readonly tally: InvalidationTally;
  /** The job goes on in another run (the answer's Warning says so). */
  readonly continuing: boolean;
  /** The job gave up (see SweepEvents.gaveUp). */
  readonly failed: boolean;
}

export interface SweepRunnerOptions {
  readonly sweep: InvalidationSweep;
  readonly store: InvalidationStore;
  readonly jobs: SweepJobStore;
  /** The continuation this runner hands its jobs to, built once for it (an in-process one resumes through it). */
  readonly continuation: (runner: SweepRunner) => SweepContinuation;
  readonly clock: Clock;
  /** How long a run holds its job without reporting: longer than any run (the function's timeout). */
  readonly leaseMs: number;
  /** Monotonic milliseconds: when a request's budget started. */
  readonly elapsed: () => number;
  readonly events: SweepEvents;
  /** RF-1: REFRESH_TOKEN_LIFETIME, recorded with each new job; Elasticsearch's 24 h by default. */
  readonly refreshLifetimeMs?: number;
}

/** Saves the latest progress, one write at a time; a failed save only means a resume re-does a page. */
class ProgressSaver {
  private latest: SweepJob | undefined;
  private writing: Promise<void> | undefined;

  constructor(private readonly write: (job: SweepJob) => Promise<void>) {}

  readonly save = (job: SweepJob): void => {
    this.latest = job;
    this.writing ??= this.drain();
  };

  private async drain(): Promise<void> {
    for (let job = this.latest; job !== undefined; job = this.latest) {
      this.latest = undefined;
      await this.write(job).catch(() => undefined);
    }
    this.writing = undefined;
  }

  async idle(): Promise<void> {
    await this.writing;
  }
}

const ignore = () => undefined;

/**
 * Runs realm- and user-wide invalidations as durable jobs: the record is written first, then the watermark
 * (from which point no token of the scope is accepted), then the sweep in budgeted runs, each saving where
 * it stands, until the job is done or gives up. Whatever stops a run (a crash, a timeout, a lost
 * continuation), the record stays open and its lease passes, and the resumer takes it up again.
 */
export class SweepRunner {
  /** Where this runner's jobs go on when a run is out of time. */
  readonly continuation: SweepContinuation;

  constructor(private readonly options: SweepRunnerOptions) {
    this.continuation = options.continuation(this);
  }

  /** The synchronous part of a request: returns within the budget plus the drain bound, the rest handed on. */
  async start(scope: InvalidationScope, requestedAt: number): Promise<SweepRunResult> {
    const { store, jobs, elapsed } = this.options;
    const startedAt = elapsed();
    // A name longer than any the service accepts: no pair can be in the scope, nothing is kept or read.
    if (scopeKeyOf(scope) === undefined) return { tally: new InvalidationTally(), continuing: false, failed: false };
    const job = newSweepJob(scope, requestedAt, store, undefined, this.options.refreshLifetimeMs);
    const lease = this.lease();
    await jobs.create(job, lease);
    await store.revoke({ scope: job.scope, through: requestedAt, lifetimeMs: lifetimeOf(job) });
    await jobs.markWatermarked(job, lease.owner).catch(ignore);
    return this.runAndHandOn(job, lease, startedAt);
  }

  /**
   * Goes on with a job from its record (a continuation, the resumer, a redrive). Undefined when another run
   * holds it or it is done; failed, without a run, when it gave up and this is no redrive.
   */
  async resume(jobId: string, claim: ClaimOptions = {}): Promise<SweepRunResult | undefined> {
    const { store, jobs, clock, events } = this.options;
    const lease = this.lease();
    const stored = await jobs.claim(jobId, lease, clock(), claim);
    if ('refused' in stored) {
      return stored.refused === 'failed' ? { tally: new InvalidationTally(), continuing: false, failed: true } : undefined;
    }
    const { job } = stored;
    events.resumed(job);
    if (clock() > job.requestedAt + lifetimeOf(job)) {
      // Every pair the job covers has expired: nothing is left to flip.
      await jobs.finish({ ...job, cursors: [] }, lease.owner, 'done');
      return { tally: new InvalidationTally(), continuing: false, failed: false };
    }
    if (!stored.watermarked) {
      // The run that started it stopped before its watermark was known to hold.
      await store.revoke({ scope: job.scope, through: job.requestedAt, lifetimeMs: lifetimeOf(job) });
      await jobs.markWatermarked(job, lease.owner).catch(ignore);
    }
    return this.runAndHandOn(job, lease);
  }

  /** Ids of open jobs whose runner stopped reporting; with `takeOver`, of every open job. */
  async orphans(takeOver = false): Promise<string[]> {
    const now = this.options.clock();
    const open = await this.options.jobs.open();
    return open.filter((s) => s.status === 'running' && (takeOver || s.leaseUntil < now)).map((s) => s.job.operation);
  }

  private lease(owner = randomBytes(9).toString('base64url')): Lease {
    return { owner, until: this.options.clock() + this.options.leaseMs };
  }

  private async runAndHandOn(job: SweepJob, lease: Lease, startedAt?: number): Promise<SweepRunResult> {
    const { sweep, jobs, events } = this.options;
    const saver = new ProgressSaver((stands) => jobs.save(stands, this.lease(lease.owner)));
    const { tally, remaining, gaveUp } = await sweep.run(job, { startedAt, onProgress: saver.save });
    await saver.idle();
    if (gaveUp !== undefined) {
      await jobs.finish(gaveUp, lease.owner, 'failed').catch(ignore);
      events.gaveUp(gaveUp, tally);
      return { tally, continuing: false, failed: true };
    }
    if (remaining === undefined) {
      // A record left open by a failed write is finished by the resumer's next run, which finds nothing to do.
      await jobs.finish({ ...job, cursors: [] }, lease.owner, 'done').catch(ignore);
      return { tally, continuing: false, failed: false };
    }
    // If letting go fails, the lease runs out instead and the resumer hands the job on.
    await jobs.release(remaining, lease.owner).catch(ignore);
    try {
      await this.continuation.continueLater(remaining.operation);
    } catch (error) {
      // IV-10: reported, never silent; the record stays open, so the resumer goes on with it.
      tally.addFailure('tokens', error);
      events.handOffFailed(remaining, error);
    }
    return { tally, continuing: true, failed: false };
  }
}
