import type { SweepJob } from './invalidation-sweep';

/**
 * Who runs a sweep job, and until when. A runner that stops reporting (a crash, a timeout) loses the job
 * once `until` has passed, and the resumer hands it to another one.
 */
export interface Lease {
  readonly owner: string;
  /** Epoch milliseconds, by the service clock. */
  readonly until: number;
}

/** A job as stored: where it stands, and whether its watermark is known to hold. */
export interface StoredSweepJob {
  readonly job: SweepJob;
  readonly status: 'running' | 'failed' | 'done';
  /** Set once the revocation watermark was written: a job resumed after a crash before that writes it again. */
  readonly watermarked: boolean;
  readonly leaseUntil: number;
}

/** Why a job was not taken: it is done (or unknown: expired), it gave up, or another run holds it. */
export interface ClaimRefusal {
  readonly refused: 'done' | 'failed' | 'held';
}

export interface ClaimOptions {
  /** Takes the job whoever holds it: the local API at its start, the only process of its tables. */
  readonly takeOver?: boolean;
  /** Takes a job that gave up, too: a redrive. */
  readonly failed?: boolean;
}

/**
 * The durable record of realm- and user-wide sweeps: written before the first page, saved as the sweep
 * goes, listed while open, so that no crash or timeout loses one. Adapter: store/dynamodb-sweep-jobs.ts.
 */
export interface SweepJobStore {
  /** Records a new job (held by `lease`) and lists it as open, at once. */
  create(job: SweepJob, lease: Lease): Promise<void>;
  /** Records that the job's watermark holds. */
  markWatermarked(job: SweepJob, owner: string): Promise<void>;
  /**
   * Takes the job for `lease.owner` if it is running and its lease has passed (or per `options`): the job as
   * last saved, or why it was not taken.
   */
  claim(jobId: string, lease: Lease, now: number, options?: ClaimOptions): Promise<StoredSweepJob | ClaimRefusal>;
  /** Saves where the job stands and extends its lease, if `lease.owner` still holds it. */
  save(job: SweepJob, lease: Lease): Promise<void>;
  /** Saves where the job stands and lets go of it: another invocation goes on with it. */
  release(job: SweepJob, owner: string): Promise<void>;
  /** Ends the job (`done`, or `failed` after it gave up) and takes it off the open list. */
  finish(job: SweepJob, owner: string, status: 'done' | 'failed'): Promise<void>;
  /** The open jobs, with their leases. */
  open(): Promise<StoredSweepJob[]>;
}
