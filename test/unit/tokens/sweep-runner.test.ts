import { TokenExpiredError } from '../../../functions/errors';
import type { SweepContinuation } from '../../../functions/tokens/sweep-runner';
import { SweepRunner } from '../../../functions/tokens/sweep-runner';
import { TokenService } from '../../../functions/tokens/token-service';
import { FixedClock, MINUTE } from '../../support/clock';
import { InMemorySweepJobStore } from '../../support/in-memory/sweep-jobs';
import { InMemoryTokenStore } from '../../support/in-memory/token-store';
import { RecordedSweepEvents, testSweep } from '../../support/sweep';
import { authenticatedUser, ELASTIC_CLIENT as CREATOR } from '../../support/test-users';

/**
 * The durable sweep (IV-8..IV-10, DESIGN §7) against the in-memory token and job stores: a crash between any
 * two steps leaves an open job whose lease passes, and the resumer finishes it; the watermark holds first.
 */
const LEASE_MS = 5 * MINUTE;
const svc = authenticatedUser('svc');

/** The continuation of a run that ran out of budget: recorded, for the test to run (or to lose). */
class RecordedContinuation implements SweepContinuation {
  readonly handedOn: string[] = [];
  failing = false;
  async continueLater(jobId: string): Promise<void> {
    if (this.failing) throw new Error('invoke failed');
    this.handedOn.push(jobId);
  }
}

let clock: FixedClock;
let store: InMemoryTokenStore;
let jobs: InMemorySweepJobStore;
let tokens: TokenService;
let continuation: RecordedContinuation;
let events: RecordedSweepEvents;
let budgetMs: number;

function runner(): SweepRunner {
  const sweep = testSweep(store, { budgetMs, concurrency: 4, pageSize: 2, attempts: 3, elapsed: () => 0 });
  return new SweepRunner({
    sweep,
    store,
    jobs,
    continuation: () => continuation,
    clock: clock.now,
    leaseMs: LEASE_MS,
    elapsed: () => 0,
    events,
  });
}

beforeEach(() => {
  clock = new FixedClock(1_700_000_000_000);
  store = new InMemoryTokenStore({ indexShards: 4 });
  jobs = new InMemorySweepJobStore();
  tokens = new TokenService({ store, clock: clock.now, accessTokenTimeoutMs: 20 * MINUTE });
  continuation = new RecordedContinuation();
  events = new RecordedSweepEvents();
  budgetMs = 60_000;
});

const issueMany = async (count: number) => {
  const issued = [];
  for (let i = 0; i < count; i++)
    issued.push(await tokens.issue({ authentication: svc, client: CREATOR, withRefreshToken: true }));
  return issued;
};
const openJobs = async () => (await jobs.open()).map((stored) => stored.job.operation);
const expectAllRefused = async (issued: { accessToken: string }[]) => {
  for (const { accessToken } of issued) await expect(tokens.authenticate(accessToken)).rejects.toBeInstanceOf(TokenExpiredError);
};

describe('sweep runner (in-memory stores)', () => {
  it('IV-8: the record, then the watermark, then the sweep; the job ends done and off the open list', async () => {
    const issued = await issueMany(5);
    const order: string[] = [];
    jobs.faults.beforeNext('create', () => order.push('record'));
    store.faults.beforeNext('revoke', () => order.push('watermark'));
    jobs.faults.beforeNext('markWatermarked', () => order.push('watermarked'));
    store.faults.beforeNext('nextPage', () => order.push('sweep'));
    const result = await runner().start({ realm: 'default_file' }, clock.time);
    expect(result).toMatchObject({ continuing: false, failed: false, tally: { invalidated: 10, previouslyInvalidated: 0 } });
    expect(order).toEqual(['record', 'watermark', 'watermarked', 'sweep']);
    expect(await openJobs()).toEqual([]);
    await expectAllRefused(issued);
  });

  it('IV-10: a crash after the record, before the watermark, leaves an open job that the resumer completes', async () => {
    const issued = await issueMany(3);
    store.faults.failNext('revoke');
    await expect(runner().start({ realm: 'default_file' }, clock.time)).rejects.toThrow('the token store is unavailable');
    const [jobId] = await openJobs();
    expect(jobs.record(jobId as string)?.watermarked).toBe(false);
    // The lease holds the job for its runner, until the runner is known to be gone.
    await expect(runner().orphans()).resolves.toEqual([]);
    clock.advance(LEASE_MS + 1);
    await expect(runner().orphans()).resolves.toEqual([jobId]);
    const resumed = await runner().resume(jobId as string);
    expect(resumed).toMatchObject({ continuing: false, failed: false, tally: { invalidated: 6 } });
    expect(events.resumedJobs).toEqual([jobId]);
    expect(await openJobs()).toEqual([]);
    await expectAllRefused(issued);
  });

  it('IV-10: a crash after the watermark refuses every token at once, and the resumer still flips and counts the pairs', async () => {
    const issued = await issueMany(3);
    store.faults.failNext('nextPage', 'unavailable', 3 * 4);
    // The process dies after its first run: the job's lease is never released, the continuation never sent.
    jobs.faults.failNext('release');
    continuation.failing = true;
    const started = await runner().start({ realm: 'default_file' }, clock.time);
    // Four streams unread, and the hand-off that failed: each reported (IV-10).
    expect(started.tally.errors).toHaveLength(5);
    await expectAllRefused(issued);
    clock.advance(LEASE_MS + 1);
    const [jobId] = await runner().orphans();
    await expect(runner().resume(jobId as string)).resolves.toMatchObject({ tally: { invalidated: 6 } });
    expect(await openJobs()).toEqual([]);
  });

  it('IV-10: a lost continuation is reported, and the job resumed once its lease is released', async () => {
    await issueMany(6);
    budgetMs = 0;
    continuation.failing = true;
    const started = await runner().start({ realm: 'default_file' }, clock.time);
    expect(started.continuing).toBe(true);
    expect(events.handOffFailures).toHaveLength(1);
    expect(started.tally.errors.at(-1)).toMatchObject({ reason: 'Error invalidating tokens: internal error' });
    const [jobId] = await runner().orphans();
    let total = started.tally.invalidated;
    continuation.failing = false;
    for (let id = jobId; id !== undefined; id = continuation.handedOn.shift()) {
      const resumed = await runner().resume(id);
      total += resumed?.tally.invalidated ?? 0;
    }
    expect(total).toBe(12);
    expect(await openJobs()).toEqual([]);
  });

  it('IV-10: of two resumers racing for one job, one runs it and the other is refused', async () => {
    await issueMany(2);
    store.faults.failNext('revoke');
    await expect(runner().start({ realm: 'default_file' }, clock.time)).rejects.toBeDefined();
    clock.advance(LEASE_MS + 1);
    const [jobId] = await openJobs();
    const results = await Promise.all([runner().resume(jobId as string), runner().resume(jobId as string)]);
    expect(results.filter((result) => result === undefined)).toHaveLength(1);
    expect(results.find((result) => result !== undefined)?.tally.invalidated).toBe(4);
  });

  it('IV-10: a job that gave up waits, failed, for a redrive', async () => {
    await issueMany(2);
    // Every page of every run fails: three runs, and the job gives up.
    store.faults.failNext('nextPage', 'unavailable', 3 * 4 * 3);
    const started = await runner().start({ realm: 'default_file' }, clock.time);
    expect(started).toMatchObject({ continuing: true, failed: false });
    for (let jobId = continuation.handedOn.shift(); jobId !== undefined; jobId = continuation.handedOn.shift()) {
      await runner().resume(jobId);
    }
    expect(events.gaveUpJobs).toHaveLength(1);
    expect(await openJobs()).toEqual([]);
    const [failed] = events.gaveUpJobs;
    await expect(runner().resume(failed as string)).resolves.toMatchObject({ failed: true, continuing: false });
    await expect(runner().resume(failed as string, { failed: true })).resolves.toMatchObject({
      failed: false,
      tally: { invalidated: 4 },
    });
  });
});
