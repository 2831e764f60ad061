import { type DynamoDBDocumentClient, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { TokenExpiredError } from '../../functions/errors';
import { REALM_SPREAD } from '../../functions/store/dynamodb-revocations';
import { DynamoDbTokenStore } from '../../functions/store/dynamodb-token-store';
import { userDigest } from '../../functions/tokens/scope-digest';
import type { SweepContinuation } from '../../functions/tokens/sweep-runner';
import { TokenInvalidation } from '../../functions/tokens/token-invalidation';
import { PAIR_LIFETIME_MS } from '../../functions/tokens/token-pair';
import { TokenService } from '../../functions/tokens/token-service';
import { FixedClock, MINUTE } from '../support/clock';
import { createTokensTable, scanAll, testClients } from '../support/dynamodb';
import { withFaults } from '../support/faults';
import { type TestSweeps, testSweeps } from '../support/sweep';
import { ELASTIC_CLIENT as CREATOR, fileRealmUser } from '../support/test-users';

/**
 * The rules of a realm- or user-wide invalidation that holds (DESIGN §7): the watermark refuses every token
 * of the scope from the answer on, whatever the sweep's state; the sweep is a durable job that survives
 * crashes and reports what it cannot do. DynamoDB Local, a fixed clock, injected faults and crashes.
 */
const { client, documents } = testClients();
const TIMEOUT = 20 * MINUTE;
const user = fileRealmUser;
const svc = user('svc', 'default_file');

/** A process that can die: once `crashAt` calls were sent, every later call fails and reaches nothing. */
class Crashable {
  calls = 0;
  crashed = false;
  constructor(private readonly crashAt = Number.POSITIVE_INFINITY) {}
  readonly client = (base: DynamoDBDocumentClient) =>
    withFaults(base, () => {
      if (++this.calls >= this.crashAt) this.crashed = true;
      return this.crashed ? Object.assign(new Error('process killed'), { name: 'ProcessKilled' }) : undefined;
    });
}

interface Process {
  tokens: TokenService;
  invalidation: TokenInvalidation;
  sweeps: TestSweeps;
}

/** One "process" of the service over `tableName`: its own store, sweep runner and continuation. */
function processOver(
  tableName: string,
  clock: FixedClock,
  options: {
    documents?: DynamoDBDocumentClient;
    budgetMs?: number;
    pageSize?: number;
    continuation?: (c: SweepContinuation) => SweepContinuation;
  } = {},
): Process {
  const storeClient = options.documents ?? documents;
  const store = new DynamoDbTokenStore({ client: storeClient, tableName, indexShards: 16 });
  const sweeps = testSweeps({
    store,
    documents: storeClient,
    tableName,
    clock: clock.now,
    sweep: { budgetMs: options.budgetMs ?? 60_000, pageSize: options.pageSize ?? 100 },
    continuation: options.continuation,
  });
  return {
    tokens: new TokenService({ store, clock: clock.now, accessTokenTimeoutMs: TIMEOUT }),
    invalidation: new TokenInvalidation({ store, clock: clock.now, sweeps: sweeps.sweeps }),
    sweeps,
  };
}

async function issueMany(tokens: TokenService, count: number, authentication = svc, withRefreshToken = true) {
  const issued: { accessToken: string; refreshToken?: string }[] = [];
  for (let i = 0; i < count; i += 20) {
    const batch = Array.from({ length: Math.min(20, count - i) }, () =>
      tokens.issue({ authentication, client: CREATOR, withRefreshToken }),
    );
    issued.push(...(await Promise.all(batch)));
  }
  return issued;
}

/** How many of the tokens still work (authenticate, or refresh). */
async function stillWorking(tokens: TokenService, issued: { accessToken: string; refreshToken?: string }[]) {
  let working = 0;
  for (const token of issued) {
    const access = await tokens.authenticate(token.accessToken).then(
      () => true,
      () => false,
    );
    const refresh =
      token.refreshToken !== undefined &&
      (await tokens.refresh(token.refreshToken, CREATOR).then(
        () => true,
        () => false,
      ));
    if (access || refresh) working++;
  }
  return working;
}

/** Pairs of the table (not watermarks or jobs) whose halves are not both flipped. */
async function unflipped(tableName: string): Promise<number> {
  const items = await scanAll(documents, tableName);
  return items.filter(
    (item) => !String(item.id).startsWith('#') && !(item.accessInvalidated && (item.refreshInvalidated || !item.refreshHash)),
  ).length;
}

const counts = (invalidated: number, previously: number, errors = 0) => ({
  invalidated_tokens: invalidated,
  previously_invalidated_tokens: previously,
  error_count: errors,
});

describe('the revocation watermark (DynamoDB Local)', () => {
  it('IV-10: a pair whose PutItem lands after the DELETE answered is refused, and cannot be refreshed', async () => {
    const tableName = await createTokensTable(client);
    const clock = new FixedClock();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The issuing process's PutItem is held back until after the invalidation answered.
    const slow = withFaults(documents, () => undefined);
    const send = slow.send.bind(slow);
    slow.send = (async (command: unknown) => {
      if (command instanceof PutCommand) await held;
      return send(command as never);
    }) as typeof slow.send;
    const issuer = processOver(tableName, clock, { documents: slow });
    const admin = processOver(tableName, clock);

    const late = issuer.tokens.issue({ authentication: svc, client: CREATOR, withRefreshToken: true });
    clock.advance(300);
    const { response } = await admin.invalidation.invalidate({ kind: 'scope', realm: 'default_file' });
    expect(response).toEqual(counts(0, 0));
    release();
    const tokens = await late;

    await expect(admin.tokens.authenticate(tokens.accessToken)).rejects.toBeInstanceOf(TokenExpiredError);
    await expect(admin.tokens.refresh(tokens.refreshToken as string, CREATOR)).rejects.toMatchObject({
      description: 'token has been invalidated',
    });
  });

  it("RF-4: a watermark written between a refresh's read and its transaction fails the transaction (ConditionCheck)", async () => {
    const tableName = await createTokensTable(client);
    const clock = new FixedClock();
    const admin = processOver(tableName, clock);
    const pair = await admin.tokens.issue({ authentication: svc, client: CREATOR, withRefreshToken: true });
    const store = new DynamoDbTokenStore({ client: documents, tableName, indexShards: 16 });
    let revoked = false;
    const racing = withFaults(documents, () => undefined);
    const send = racing.send.bind(racing);
    racing.send = (async (command: unknown) => {
      if (command instanceof TransactWriteCommand && !revoked) {
        revoked = true;
        await store.revoke({ scope: { user: userDigest('svc') }, through: clock.now() });
      }
      return send(command as never);
    }) as typeof racing.send;
    const refresher = new TokenService({
      store: new DynamoDbTokenStore({ client: racing, tableName, indexShards: 16 }),
      clock: clock.now,
      accessTokenTimeoutMs: TIMEOUT,
    });

    await expect(refresher.refresh(pair.refreshToken as string, CREATOR)).rejects.toMatchObject({
      description: 'token has been invalidated',
    });
    expect(revoked).toBe(true);
    // No successor was stored and the old pair was not marked.
    const pairs = (await scanAll(documents, tableName)).filter((item) => !String(item.id).startsWith('#'));
    expect(pairs).toHaveLength(1);
    expect(pairs[0]?.refreshedAt).toBeUndefined();
  });

  it('IV-8: a watermark covers its scope only: other realms, other users and later pairs are untouched', async () => {
    const tableName = await createTokensTable(client);
    const clock = new FixedClock();
    const p = processOver(tableName, clock);
    const store = new DynamoDbTokenStore({ client: documents, tableName, indexShards: 16 });
    const other = await issueMany(p.tokens, 3, user('svc', 'default_native'));
    const bob = await issueMany(p.tokens, 3, user('bob', 'default_file'));
    const mine = await issueMany(p.tokens, 3);
    await store.revoke({ scope: { user: userDigest('svc'), realm: 'default_file' }, through: clock.now() });
    clock.advance(1);
    const later = await issueMany(p.tokens, 3);
    expect(await stillWorking(p.tokens, mine)).toBe(0);
    expect(await stillWorking(p.tokens, [...other, ...bob, ...later])).toBe(9);
  });
});

describe('the sweep as a durable job (DynamoDB Local)', () => {
  // 1 transaction (the job record), then REALM_SPREAD (4) watermark writes: from the 6th call on, the watermark holds.
  it.each([2, 4, 5, 6, 30, 60, 85])(
    // Call 1 is the job record: a crash before it leaves nothing done and the request unanswered.
    'IV-10: a crash at storage call %i leaves every token of the scope refused once written, and a restart finishes',
    async (crashAt) => {
      const tableName = await createTokensTable(client);
      const clock = new FixedClock();
      const seeder = processOver(tableName, clock);
      const issued = await issueMany(seeder.tokens, 60);
      const crash = new Crashable(crashAt);
      const dying = processOver(tableName, clock, {
        documents: crash.client(documents),
        pageSize: 5,
        // The dying process's continuation dies with it.
        continuation: () => ({ continueLater: async () => Promise.reject(new Error('process killed')) }),
      });
      clock.advance(1);
      const outcome = await dying.invalidation.invalidate({ kind: 'scope', realm: 'default_file' }).catch(() => undefined);
      expect(crash.crashed).toBe(true);
      if (crashAt > 1 + REALM_SPREAD) expect(await stillWorking(seeder.tokens, issued.slice(0, 10))).toBe(0);
      // An answer given despite the crash either reports errors, or the crash came after the last pair's write
      // (at the job's own bookkeeping, which the answer does not count) and every half was counted. Which of the
      // two a call number hits depends on how the concurrent writes interleave.
      if (outcome !== undefined && outcome.response.error_count === 0) {
        expect(outcome.response.invalidated_tokens).toBe(2 * issued.length);
      }

      const restarted = processOver(tableName, clock);
      await restarted.sweeps.continuation.resumeOrphans();
      await restarted.sweeps.continuation.idle();
      expect(await unflipped(tableName)).toBe(0);
      expect(await stillWorking(restarted.tokens, issued)).toBe(0);
      expect(await restarted.sweeps.sweeps.orphans(true)).toEqual([]);
    },
    60_000,
  );

  it('IV-10: a job whose runner stopped reporting is handed on once its lease has passed, not before', async () => {
    const tableName = await createTokensTable(client);
    const clock = new FixedClock();
    const seeder = processOver(tableName, clock);
    await issueMany(seeder.tokens, 20);
    const dying = processOver(tableName, clock, {
      documents: new Crashable(40).client(documents),
      pageSize: 2,
      continuation: () => ({ continueLater: async () => Promise.reject(new Error('process killed')) }),
    });
    await dying.invalidation.invalidate({ kind: 'scope', username: 'svc' }).catch(() => undefined);
    const resumer = processOver(tableName, clock);
    expect(await resumer.sweeps.sweeps.orphans()).toEqual([]);
    clock.advance(61_000);
    const [orphan] = await resumer.sweeps.sweeps.orphans();
    expect(orphan).toBeDefined();
    await resumer.sweeps.sweeps.resume(orphan as string);
    await resumer.sweeps.continuation.idle();
    expect(await unflipped(tableName)).toBe(0);
    expect(resumer.sweeps.events.resumedJobs).toContain(orphan);
  });

  it('IV-10: an unreadable index page is reported, its cursor kept, and a continuation invalidates its pairs', async () => {
    const tableName = await createTokensTable(client);
    const clock = new FixedClock();
    const seeder = processOver(tableName, clock);
    const issued = await issueMany(seeder.tokens, 40);
    let failedOnce = false;
    const faulty = withFaults(documents, (command) => {
      if (command instanceof QueryCommand && !failedOnce) {
        failedOnce = true;
        return Object.assign(new Error('injected'), { name: 'ValidationException' });
      }
      return undefined;
    });
    const p = processOver(tableName, clock, { documents: faulty });
    const result = await p.invalidation.invalidate({ kind: 'scope', realm: 'default_file' });
    expect(result.response.error_count).toBe(1);
    expect(result.response.error_details?.[0]).toMatchObject({ reason: expect.stringMatching(/^Error invalidating tokens: /) });
    expect(result.continuing).toBe(true);
    await p.sweeps.continuation.idle();
    expect(await unflipped(tableName)).toBe(0);
    expect(await stillWorking(seeder.tokens, issued)).toBe(0);
  });

  it('IV-10: a continuation that cannot be handed on is reported in the answer, logged, and left for the resumer', async () => {
    const tableName = await createTokensTable(client);
    const clock = new FixedClock();
    const seeder = processOver(tableName, clock);
    await issueMany(seeder.tokens, 30);
    const p = processOver(tableName, clock, {
      budgetMs: 0,
      pageSize: 2,
      continuation: () => ({ continueLater: async () => Promise.reject(new Error('throttled')) }),
    });
    const result = await p.invalidation.invalidate({ kind: 'scope', realm: 'default_file' });
    expect(result.continuing).toBe(true);
    expect(result.response.error_count).toBe(1);
    expect(result.response.error_details?.[0]).toMatchObject({ reason: 'Error invalidating tokens: internal error' });
    expect(p.sweeps.events.handOffFailures).toHaveLength(1);
    // The record stays open and released: the resumer hands it on at its next run.
    const resumer = processOver(tableName, clock);
    const orphans = await resumer.sweeps.sweeps.orphans();
    expect(orphans).toHaveLength(1);
    await resumer.sweeps.sweeps.resume(orphans[0] as string);
    await resumer.sweeps.continuation.idle();
    expect(await unflipped(tableName)).toBe(0);
  });

  it('IV-10: a sweep whose index reads keep failing gives up, reported, and a redrive finishes it from its record', async () => {
    const tableName = await createTokensTable(client);
    const clock = new FixedClock();
    const seeder = processOver(tableName, clock);
    await issueMany(seeder.tokens, 10);
    const broken = withFaults(documents, (command) =>
      command instanceof QueryCommand ? Object.assign(new Error('injected'), { name: 'AccessDeniedException' }) : undefined,
    );
    const p = processOver(tableName, clock, { documents: broken });
    const result = await p.invalidation.invalidate({ kind: 'scope', realm: 'default_file' });
    expect(result.response.error_count).toBe(16);
    await p.sweeps.continuation.idle();
    expect(p.sweeps.events.gaveUpJobs).toHaveLength(1);
    // Given up: no longer open, so the resumer leaves it to the redrive.
    expect(await p.sweeps.sweeps.orphans(true)).toEqual([]);
    const healthy = processOver(tableName, clock);
    // Only a redrive takes up a job that gave up; anything else is told it failed.
    expect(await healthy.sweeps.sweeps.resume(p.sweeps.events.gaveUpJobs[0] as string)).toMatchObject({ failed: true });
    await healthy.sweeps.sweeps.resume(p.sweeps.events.gaveUpJobs[0] as string, { failed: true });
    await healthy.sweeps.continuation.idle();
    expect(await unflipped(tableName)).toBe(0);
  });
});

describe("the sweep's own rules (DynamoDB Local)", () => {
  it('IV-8: an access token is active up to and including its expiry instant (Elasticsearch: now.isAfter(expiry))', async () => {
    const tableName = await createTokensTable(client);
    const clock = new FixedClock();
    const p = processOver(tableName, clock);
    await p.tokens.issue({ authentication: svc, client: CREATOR, withRefreshToken: false });
    clock.advance(TIMEOUT);
    expect((await p.invalidation.invalidate({ kind: 'scope', realm: 'default_file' })).response).toEqual(counts(1, 0));
    const expired = processOver(await createTokensTable(client), clock);
    await expired.tokens.issue({ authentication: svc, client: CREATOR, withRefreshToken: false });
    clock.advance(TIMEOUT + 1);
    expect((await expired.invalidation.invalidate({ kind: 'scope', realm: 'default_file' })).response).toEqual(counts(0, 0));
  });

  it('IV-8: the sweep never reads pairs older than 24 h: every index query starts at the request less 24 h', async () => {
    const tableName = await createTokensTable(client);
    const clock = new FixedClock();
    const windows: number[] = [];
    const watched = withFaults(documents, (command) => {
      if (command instanceof QueryCommand) windows.push(command.input.ExpressionAttributeValues?.[':from'] as number);
      return undefined;
    });
    const p = processOver(tableName, clock, { documents: watched });
    await issueMany(p.tokens, 3);
    clock.advance(PAIR_LIFETIME_MS + MINUTE);
    await p.invalidation.invalidate({ kind: 'scope', username: 'svc' });
    expect(windows.length).toBeGreaterThanOrEqual(16);
    for (const from of windows) expect(from).toBe(clock.now() - PAIR_LIFETIME_MS);
  });

  it('IV-8: two concurrent sweeps of one scope count each half once as invalidated between them', async () => {
    const tableName = await createTokensTable(client);
    const clock = new FixedClock();
    const seeder = processOver(tableName, clock);
    await issueMany(seeder.tokens, 10);
    const first = processOver(tableName, clock);
    const second = processOver(tableName, clock);
    const [a, b] = await Promise.all([
      first.invalidation.invalidate({ kind: 'scope', realm: 'default_file' }),
      second.invalidation.invalidate({ kind: 'scope', realm: 'default_file' }),
    ]);
    expect(a.response.invalidated_tokens + b.response.invalidated_tokens).toBe(20);
    expect(a.response.error_count + b.response.error_count).toBe(0);
  });
});
