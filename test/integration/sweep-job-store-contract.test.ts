import { StorageUnavailableError } from '../../functions/errors';
import { DynamoDbSweepJobStore } from '../../functions/store/dynamodb-sweep-jobs';
import type { SweepJob } from '../../functions/tokens/invalidation-sweep';
import type { SweepJobStore } from '../../functions/tokens/sweep-jobs';
import { newInvalidationId } from '../../functions/tokens/token-store';
import { createTokensTable, testClients } from '../support/dynamodb';
import { InMemorySweepJobStore } from '../support/in-memory/sweep-jobs';

/**
 * The sweep job port's contract (functions/tokens/sweep-jobs.ts), run against the DynamoDB adapter on
 * DynamoDB Local and against the in-memory stand-in of the unit tests, so the two cannot drift.
 */
async function dynamoDbJobs(): Promise<SweepJobStore> {
  const { client, documents } = testClients();
  return new DynamoDbSweepJobStore(documents, await createTokensTable(client));
}

const aJob = (): SweepJob => ({
  scope: { realm: 'default_file' },
  requestedAt: Date.now(),
  operation: newInvalidationId(),
  phase: 'sweep',
  cursors: [{ stream: '0' }, { stream: '1' }],
});

const T = 1_000_000;

describe.each([
  ['DynamoDB Local', dynamoDbJobs],
  ['in memory', async () => new InMemorySweepJobStore()],
])('sweep job store contract (%s)', (_name, jobsOf) => {
  let jobs: SweepJobStore;
  beforeAll(async () => {
    jobs = await jobsOf();
  });
  const openIds = async () => (await jobs.open()).map((stored) => stored.job.operation);

  it('IV-10: a created job is open and held; another run may claim it only once its lease has passed', async () => {
    const job = aJob();
    await jobs.create(job, { owner: 'a', until: T });
    expect(await openIds()).toContain(job.operation);
    await expect(jobs.claim(job.operation, { owner: 'b', until: T + 10 }, T - 1)).resolves.toEqual({ refused: 'held' });
    await expect(jobs.claim(job.operation, { owner: 'a', until: T + 10 }, T - 1)).resolves.toMatchObject({ leaseUntil: T });
    await expect(jobs.claim(job.operation, { owner: 'b', until: T + 20 }, T + 11)).resolves.toEqual({
      job,
      status: 'running',
      watermarked: false,
      leaseUntil: T + 10,
    });
    await expect(jobs.claim(job.operation, { owner: 'c', until: T + 30 }, T + 11, { takeOver: true })).resolves.toMatchObject({
      leaseUntil: T + 20,
    });
    await expect(jobs.claim('unknown', { owner: 'c', until: T }, T)).resolves.toEqual({ refused: 'done' });
  });

  it('IV-10: only the holder saves, releases or ends a job; a job ended is off the open list', async () => {
    const job = aJob();
    await jobs.create(job, { owner: 'a', until: T });
    await expect(jobs.save({ ...job, phase: 'catch-up' }, { owner: 'b', until: T })).rejects.toBeInstanceOf(
      StorageUnavailableError,
    );
    await expect(jobs.markWatermarked(job, 'b')).rejects.toBeInstanceOf(StorageUnavailableError);
    await jobs.markWatermarked(job, 'a');
    const moved = { ...job, cursors: [{ stream: '1' }] };
    await jobs.save(moved, { owner: 'a', until: T + 5 });
    await jobs.release(moved, 'a');
    await expect(jobs.release(moved, 'a')).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(jobs.claim(job.operation, { owner: 'b', until: T + 9 }, 1)).resolves.toEqual({
      job: moved,
      status: 'running',
      watermarked: true,
      leaseUntil: 0,
    });
    await expect(jobs.finish(moved, 'a', 'done')).rejects.toBeInstanceOf(StorageUnavailableError);
    await jobs.finish(moved, 'b', 'done');
    expect(await openIds()).not.toContain(job.operation);
    await expect(jobs.claim(job.operation, { owner: 'c', until: T }, T, { takeOver: true })).resolves.toEqual({
      refused: 'done',
    });
  });

  it('IV-10: a job that gave up is refused as failed, and open again once a redrive claims it', async () => {
    const job = aJob();
    await jobs.create(job, { owner: 'a', until: T });
    await jobs.finish(job, 'a', 'failed');
    expect(await openIds()).not.toContain(job.operation);
    await expect(jobs.claim(job.operation, { owner: 'b', until: T }, T)).resolves.toEqual({ refused: 'failed' });
    await expect(jobs.claim(job.operation, { owner: 'b', until: T }, T, { failed: true })).resolves.toMatchObject({
      status: 'failed',
    });
    expect(await openIds()).toContain(job.operation);
  });
});
