import { StorageUnavailableError } from '../../../functions/errors';
import type { SweepJob } from '../../../functions/tokens/invalidation-sweep';
import type { ClaimOptions, ClaimRefusal, Lease, StoredSweepJob, SweepJobStore } from '../../../functions/tokens/sweep-jobs';
import { FaultSwitch } from './faults';

export type SweepJobOperation = 'create' | 'markWatermarked' | 'claim' | 'save' | 'release' | 'finish' | 'open';

interface JobRecord extends StoredSweepJob {
  readonly owner?: string;
}

/**
 * The sweep job port (functions/tokens/sweep-jobs.ts) in memory, with the conditions of the DynamoDB adapter
 * (store/dynamodb-sweep-jobs.ts): every write but `create` and `claim` applies only while its caller still
 * holds the job, and fails (a 503, as the adapter's guard makes of a failed condition) otherwise; a claim
 * takes a running job whose lease has passed, or its own. Reads are strongly consistent; `create` and
 * `finish` change the record and the open list at once. Faults on demand through `faults`.
 */
export class InMemorySweepJobStore implements SweepJobStore {
  readonly faults = new FaultSwitch<SweepJobOperation>('token');
  private readonly records = new Map<string, JobRecord>();
  private readonly openIds = new Set<string>();

  /** The record of a job, for assertions. */
  record(jobId: string): Readonly<JobRecord> | undefined {
    return this.records.get(jobId);
  }

  create(job: SweepJob, lease: Lease): Promise<void> {
    return this.faults.around('create', () => {
      this.set(job.operation, { job, status: 'running', watermarked: false, owner: lease.owner, leaseUntil: lease.until });
      this.openIds.add(job.operation);
    });
  }

  markWatermarked(job: SweepJob, owner: string): Promise<void> {
    return this.faults.around('markWatermarked', () => {
      this.set(job.operation, { ...this.held(job.operation, owner), watermarked: true });
    });
  }

  claim(jobId: string, lease: Lease, now: number, options: ClaimOptions = {}): Promise<StoredSweepJob | ClaimRefusal> {
    return this.faults.around('claim', () => {
      const old = this.records.get(jobId);
      const statusAllows = old?.status === 'running' || (options.failed === true && old?.status === 'failed');
      const free = options.takeOver === true || (old !== undefined && (old.leaseUntil < now || old.owner === lease.owner));
      if (old === undefined || !statusAllows || !free) {
        const status = old?.status;
        return { refused: status === 'failed' ? 'failed' : status === 'running' ? 'held' : 'done' } as const;
      }
      this.set(jobId, { ...old, owner: lease.owner, leaseUntil: lease.until, status: 'running' });
      // A job that gave up and is redriven is open again.
      if (old.status === 'failed') this.openIds.add(jobId);
      return stored(old);
    });
  }

  save(job: SweepJob, lease: Lease): Promise<void> {
    return this.faults.around('save', () => {
      this.set(job.operation, { ...this.held(job.operation, lease.owner), job, leaseUntil: lease.until });
    });
  }

  release(job: SweepJob, owner: string): Promise<void> {
    return this.faults.around('release', () => {
      const { owner: _, ...record } = this.held(job.operation, owner);
      this.set(job.operation, { ...record, job, leaseUntil: 0 });
    });
  }

  finish(job: SweepJob, owner: string, status: 'done' | 'failed'): Promise<void> {
    return this.faults.around('finish', () => {
      const { owner: _, ...record } = this.held(job.operation, owner);
      this.set(job.operation, { ...record, job, status, leaseUntil: 0 });
      this.openIds.delete(job.operation);
    });
  }

  open(): Promise<StoredSweepJob[]> {
    return this.faults.around('open', () =>
      [...this.openIds].flatMap((id) => {
        const record = this.records.get(id);
        return record === undefined ? [] : [stored(record)];
      }),
    );
  }

  /** The record, if `owner` holds it: the adapter's `#owner = :owner`, whose failure is a 503 like any other. */
  private held(jobId: string, owner: string): JobRecord {
    const record = this.records.get(jobId);
    if (record?.owner !== owner) throw new StorageUnavailableError('token', 'save invalidation job');
    return record;
  }

  private set(jobId: string, record: JobRecord): void {
    this.records.set(jobId, structuredClone(record));
  }
}

function stored({ job, status, watermarked, leaseUntil }: JobRecord): StoredSweepJob {
  return structuredClone({ job, status, watermarked, leaseUntil });
}
