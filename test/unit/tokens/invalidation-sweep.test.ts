import type { Authentication } from '../../../functions/security/authc/authentication';
import {
  type InvalidationSweep,
  MAX_STALLED_RUNS,
  newSweepJob,
  type SweepOptions,
} from '../../../functions/tokens/invalidation-sweep';
import { TokenService } from '../../../functions/tokens/token-service';
import { decodeToken, hashSecret } from '../../../functions/tokens/token-string';
import { FixedClock, MINUTE } from '../../support/clock';
import { InMemoryTokenStore } from '../../support/in-memory/token-store';
import { testSweep } from '../../support/sweep';
import { ELASTIC_CLIENT as CREATOR, fileRealmUser } from '../../support/test-users';

/**
 * The invalidation sweep (IV-8..IV-10) against the in-memory token store, whose contract with the DynamoDB
 * adapter is test/integration/token-store-contract.test.ts: index lag, lost replies, failing pages and the
 * budget, each placed exactly.
 */
const user = fileRealmUser;

let clock: FixedClock;
let store: InMemoryTokenStore;
let tokens: TokenService;
let elapsed: number;

function setUp(options: { indexLag?: boolean } = {}) {
  clock = new FixedClock(1_700_000_000_000);
  store = new InMemoryTokenStore({ indexShards: 4, ...options });
  tokens = new TokenService({ store, clock: clock.now, accessTokenTimeoutMs: 20 * MINUTE });
  elapsed = 0;
}

function sweepOf(overrides: Partial<SweepOptions> = {}): InvalidationSweep {
  return testSweep(store, { concurrency: 4, pageSize: 3, elapsed: () => elapsed, ...overrides });
}

async function issueMany(count: number, authentication: Authentication, withRefreshToken = true) {
  const issued = [];
  for (let i = 0; i < count; i++) issued.push(await tokens.issue({ authentication, client: CREATOR, withRefreshToken }));
  return issued;
}

const counts = (run: { tally: { invalidated: number; previouslyInvalidated: number; errors: unknown[] } }) => ({
  invalidated: run.tally.invalidated,
  previously: run.tally.previouslyInvalidated,
  errors: run.tally.errors.length,
});
const isInvalidated = (accessToken: string) => store.stored(decodeToken(accessToken)?.pairId as string)?.accessInvalidated;

beforeEach(() => setUp());

describe('invalidation sweep (in-memory store)', () => {
  it('IV-8: every active half of the realm is invalidated and counted once, over every stream and page', async () => {
    const pairs = await issueMany(10, user('svc', 'default_file'));
    const others = await issueMany(2, user('svc', 'other_realm'));
    const parts = decodeToken(pairs[0]?.refreshToken as string);
    const target = { pairId: parts?.pairId as string, half: 'refresh' as const, soleHalf: false };
    const bounds = { now: clock.time, createdNotBefore: 0 };
    await store.invalidateHalf({ ...target, secretHash: hashSecret(parts?.secret as Buffer) }, bounds, 'earlier');
    await issueMany(2, user('ccs', 'default_file'), false);

    const run = await sweepOf().run(newSweepJob({ realm: 'default_file' }, clock.time, store));
    // 10 pairs of two halves, one half already invalidated, and 2 pairs of one.
    expect(counts(run)).toEqual({ invalidated: 21, previously: 1, errors: 0 });
    expect(run.remaining).toBeUndefined();
    for (const pair of pairs) expect(isInvalidated(pair.accessToken)).toBe(true);
    for (const pair of others) expect(isInvalidated(pair.accessToken)).toBe(false);
  });

  it('IV-8: a username and realm scope takes only that user in that realm', async () => {
    await issueMany(3, user('alice', 'default_file'));
    const elsewhere = await issueMany(2, user('alice', 'default_native'));
    const run = await sweepOf().run(newSweepJob({ realm: 'default_file', username: 'alice' }, clock.time, store));
    expect(counts(run)).toEqual({ invalidated: 6, previously: 0, errors: 0 });
    for (const pair of elsewhere) expect(isInvalidated(pair.accessToken)).toBe(false);
  });

  it('IV-10: pairs the lagging index did not show yet are caught up after the settle delay', async () => {
    setUp({ indexLag: true });
    const pairs = await issueMany(5, user('svc', 'default_file'));
    const settled = sweepOf({ settleMs: 500, pause: async () => store.settleIndexes() });
    const run = await settled.run(newSweepJob({ realm: 'default_file' }, clock.time, store));
    expect(counts(run)).toEqual({ invalidated: 10, previously: 0, errors: 0 });
    for (const pair of pairs) expect(isInvalidated(pair.accessToken)).toBe(true);
  });

  it('IV-10: a write whose reply was lost, on every attempt, is counted once from the read-back', async () => {
    await issueMany(1, user('svc', 'default_file'));
    store.faults.failNext('invalidatePair', 'lostReply', 5);
    const run = await sweepOf().run(newSweepJob({ realm: 'default_file' }, clock.time, store));
    expect(counts(run)).toEqual({ invalidated: 2, previously: 0, errors: 0 });
  });

  it('IV-10: a pair whose writes all fail is reported half by half, and stays active', async () => {
    const [pair] = await issueMany(1, user('svc', 'default_file'));
    store.faults.failNext('invalidatePair', 'unavailable', 5);
    const run = await sweepOf().run(newSweepJob({ realm: 'default_file' }, clock.time, store));
    expect(counts(run)).toEqual({ invalidated: 0, previously: 0, errors: 2 });
    expect(run.tally.errors[0]).toEqual({
      type: 'exception',
      reason: 'Error invalidating refresh_token: the token store is unavailable [invalidatePair]',
      caused_by: { type: 'unavailable_shards_exception', reason: 'the token store is unavailable [invalidatePair]' },
    });
    expect(isInvalidated(pair?.accessToken as string)).toBe(false);
  });

  it('IV-10: an index page that cannot be read keeps its cursor; a sweep stalled run after run gives up', async () => {
    await issueMany(4, user('svc', 'default_file'));
    const sweep = sweepOf();
    let job = newSweepJob({ realm: 'default_file' }, clock.time, store);
    for (let run = 1; run <= MAX_STALLED_RUNS; run++) {
      store.faults.failNext('nextPage', 'unavailable', 5 * 4);
      const outcome = await sweep.run(job);
      expect(outcome.tally.errors).toHaveLength(4);
      if (run < MAX_STALLED_RUNS) {
        expect(outcome.remaining?.cursors).toHaveLength(4);
        job = outcome.remaining ?? job;
      } else {
        expect(outcome.gaveUp?.cursors).toHaveLength(4);
      }
    }
    const redriven = await sweep.run(job);
    expect(counts(redriven)).toEqual({ invalidated: 8, previously: 0, errors: 0 });
  });

  it('IV-10: a run whose budget is spent writes only its first page and hands on where each stream stands', async () => {
    await issueMany(12, user('svc', 'default_file'));
    const sweep = sweepOf({ budgetMs: 10 });
    // The budget is spent before any run starts: each run writes its exempt first page, then hands on.
    elapsed = 10;
    let job = newSweepJob({ realm: 'default_file' }, clock.time, store);
    let runs = 0;
    let invalidated = 0;
    for (let outcome = await sweep.run(job, { startedAt: 0 }); ; outcome = await sweep.run(job, { startedAt: 0 })) {
      runs++;
      invalidated += outcome.tally.invalidated;
      expect(outcome.tally.errors).toEqual([]);
      expect(outcome.tally.invalidated).toBeLessThanOrEqual(2 * 3);
      if (outcome.remaining === undefined) break;
      job = outcome.remaining;
    }
    expect(invalidated).toBe(24);
    expect(runs).toBeGreaterThan(1);
  });
});
