import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AuthenticationError, OAuth2Error } from '../../functions/errors';
import type { Authentication } from '../../functions/security/authc/authentication';
import { DynamoDbTokenStore } from '../../functions/store/dynamodb-token-store';
import { TokenInvalidation } from '../../functions/tokens/token-invalidation';
import { PAIR_LIFETIME_MS } from '../../functions/tokens/token-pair';
import { TokenService } from '../../functions/tokens/token-service';
import { decodeToken } from '../../functions/tokens/token-string';
import type { InProcessSweepContinuation } from '../../infra/local/in-process-continuation';
import { FixedClock, MINUTE } from '../support/clock';
import { createTokensTable, testClients } from '../support/dynamodb';
import { withFaults } from '../support/faults';
import { type RecordedSweepEvents, testSweeps } from '../support/sweep';
import { authenticatedUser, ELASTIC_CLIENT as CREATOR } from '../support/test-users';

const { client, documents } = testClients();
const TIMEOUT = 20 * MINUTE;

function user(username: string, realm: string): Authentication {
  return authenticatedUser(username, { name: realm, type: realm === 'default_native' ? 'native' : 'file' });
}

interface Harness {
  tableName: string;
  clock: FixedClock;
  tokens: TokenService;
  invalidation: TokenInvalidation;
  continuation: InProcessSweepContinuation;
  events: RecordedSweepEvents;
}

async function harness(
  options: {
    faults?: Parameters<typeof withFaults>[1];
    budgetMs?: number;
    pageSize?: number;
    settleMs?: number;
    continuation?: Parameters<typeof testSweeps>[0]['continuation'];
  } = {},
  tableName?: string,
): Promise<Harness> {
  const table = tableName ?? (await createTokensTable(client));
  const clock = new FixedClock();
  const storeClient = options.faults ? withFaults(documents, options.faults) : documents;
  const store = new DynamoDbTokenStore({ client: storeClient, tableName: table, indexShards: 16 });
  const cleanStore = new DynamoDbTokenStore({ client: documents, tableName: table, indexShards: 16 });
  const { sweeps, continuation, events } = testSweeps({
    store,
    documents: storeClient,
    tableName: table,
    clock: clock.now,
    sweep: { budgetMs: options.budgetMs ?? 60_000, settleMs: options.settleMs ?? 0, pageSize: options.pageSize ?? 100 },
    continuation: options.continuation,
  });
  return {
    tableName: table,
    clock,
    tokens: new TokenService({ store: cleanStore, clock: clock.now, accessTokenTimeoutMs: TIMEOUT }),
    invalidation: new TokenInvalidation({ store, clock: clock.now, sweeps }),
    continuation,
    events,
  };
}

const counts = (invalidated: number, previously: number, errors = 0) => ({
  invalidated_tokens: invalidated,
  previously_invalidated_tokens: previously,
  error_count: errors,
});

/**
 * Whether each half still works. Refused means the contract's refusal only: AU-4/AU-5 (security_exception)
 * for an access token, RF-2..RF-6's invalid_grant for a refresh token; any other error (a 503) fails the test.
 */
async function works(h: Harness, token: { accessToken: string; refreshToken?: string }) {
  const access = await h.tokens.authenticate(token.accessToken).then(
    () => true,
    refusedIf((error) => error instanceof AuthenticationError),
  );
  const refresh =
    token.refreshToken === undefined
      ? false
      : await h.tokens.refresh(token.refreshToken, CREATOR).then(
          () => true,
          refusedIf((error) => error instanceof OAuth2Error && error.code === 'invalid_grant'),
        );
  return { access, refresh };
}

function refusedIf(isRefusal: (error: unknown) => boolean): (error: unknown) => false {
  return (error) => {
    if (isRefusal(error)) return false;
    throw error;
  };
}

describe('single token invalidation (DynamoDB Local)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });

  const password = () =>
    h.tokens.issue({ authentication: user('alice', 'default_file'), client: CREATOR, withRefreshToken: true });

  it('IV-5: invalidating the access token counts 1, then 1 previously; the refresh token stays usable', async () => {
    const pair = await password();
    expect((await h.invalidation.invalidate({ kind: 'token', token: pair.accessToken })).response).toEqual(counts(1, 0));
    expect((await h.invalidation.invalidate({ kind: 'token', token: pair.accessToken })).response).toEqual(counts(0, 1));
    expect(await works(h, pair)).toEqual({ access: false, refresh: true });
  });

  it('IV-5: an expired access token of a pair younger than 24 h is still invalidated', async () => {
    const pair = await password();
    h.clock.advance(TIMEOUT + 1);
    const result = await h.invalidation.invalidate({ kind: 'token', token: pair.accessToken });
    expect(result.found).toBe(true);
    expect(result.response).toEqual(counts(1, 0));
  });

  it('IV-6: invalidating the refresh token counts 1, used or not; the access token stays valid', async () => {
    const pair = await password();
    await h.tokens.refresh(pair.refreshToken as string, CREATOR);
    expect(
      (await h.invalidation.invalidate({ kind: 'refresh_token', refreshToken: pair.refreshToken as string })).response,
    ).toEqual(counts(1, 0));
    expect(
      (await h.invalidation.invalidate({ kind: 'refresh_token', refreshToken: pair.refreshToken as string })).response,
    ).toEqual(counts(0, 1));
    await expect(h.tokens.authenticate(pair.accessToken)).resolves.toMatchObject({ username: 'alice' });
  });

  it('IV-7: malformed, unknown, wrong-secret, wrong-kind and older-than-24h tokens are not found', async () => {
    const pair = await password();
    const old = await password();
    const wrongSecret = `${pair.accessToken.slice(0, 30)}${pair.refreshToken?.slice(30)}`;
    const attempts = [
      { kind: 'token' as const, token: 'garbage' },
      { kind: 'token' as const, token: wrongSecret },
      { kind: 'token' as const, token: pair.refreshToken as string },
      { kind: 'refresh_token' as const, refreshToken: pair.accessToken },
    ];
    for (const request of attempts) {
      const result = await h.invalidation.invalidate(request);
      expect(result.found).toBe(false);
      expect(result.response).toEqual(counts(0, 0));
    }
    h.clock.advance(PAIR_LIFETIME_MS + 1);
    expect((await h.invalidation.invalidate({ kind: 'token', token: old.accessToken })).found).toBe(false);
  });

  it('a pair left with no active half leaves the indexes', async () => {
    const pair = await password();
    await h.invalidation.invalidate({ kind: 'token', token: pair.accessToken });
    const half = await documents.send(new GetCommand({ TableName: h.tableName, Key: { id: pair.pair.id } }));
    expect(half.Item?.realmKey).toBeDefined();
    await h.invalidation.invalidate({ kind: 'refresh_token', refreshToken: pair.refreshToken as string });
    const dead = await documents.send(new GetCommand({ TableName: h.tableName, Key: { id: pair.pair.id } }));
    expect(dead.Item?.realmKey).toBeUndefined();
    expect(dead.Item?.userKey).toBeUndefined();
  });

  it('IV-5: a client_credentials token is invalidated and leaves the indexes in one write', async () => {
    const updates: string[] = [];
    const counted = await harness({
      faults: (command) => {
        if (command instanceof UpdateCommand) updates.push(command.input.UpdateExpression as string);
        return undefined;
      },
    });
    const token = await counted.tokens.issue({
      authentication: user('svc', 'default_file'),
      client: CREATOR,
      withRefreshToken: false,
    });
    expect((await counted.invalidation.invalidate({ kind: 'token', token: token.accessToken })).response).toEqual(counts(1, 0));
    expect(updates).toHaveLength(1);
    const dead = await documents.send(new GetCommand({ TableName: counted.tableName, Key: { id: token.pair.id } }));
    expect(dead.Item).toMatchObject({ accessInvalidated: true });
    expect(dead.Item?.realmKey).toBeUndefined();
    expect(dead.Item?.userKey).toBeUndefined();
    expect((await counted.invalidation.invalidate({ kind: 'token', token: token.accessToken })).response).toEqual(counts(0, 1));
  });
});

describe('realm- and user-wide invalidation on a mixed population (DynamoDB Local)', () => {
  /**
   * The population, for alice@default_file unless said otherwise:
   *   2 fresh password pairs                    2 halves each, invalidated
   *   3 client_credentials tokens               1 half each, invalidated
   *   1 pair with its access half invalidated   refresh invalidated + access previously
   *   1 pair with its refresh half invalidated  access invalidated + refresh previously
   *   1 pair whose access expired, refresh live 2 halves invalidated
   *   1 expired client_credentials token        not active: not counted
   *   1 pair with both halves invalidated       not active: not counted
   *   1 pair older than 24 h                    not counted, not touched
   *   bob@default_file: 1 password pair; alice@default_native: 1 password pair; carol@default_native: 1 pair
   */
  let h: Harness;
  let all: Record<string, { accessToken: string; refreshToken?: string }[]>;

  beforeEach(async () => {
    h = await harness();
    const issue = (username: string, realm: string, withRefreshToken = true) =>
      h.tokens.issue({ authentication: user(username, realm), client: CREATOR, withRefreshToken });
    const tooOld = await issue('alice', 'default_file');
    h.clock.advance(PAIR_LIFETIME_MS + MINUTE);
    const expiredCredentials = await issue('alice', 'default_file', false);
    const expiredAccess = await issue('alice', 'default_file');
    h.clock.advance(TIMEOUT + 1);
    const fresh = [await issue('alice', 'default_file'), await issue('alice', 'default_file')];
    const credentials = [
      await issue('alice', 'default_file', false),
      await issue('alice', 'default_file', false),
      await issue('alice', 'default_file', false),
    ];
    const accessGone = await issue('alice', 'default_file');
    await h.invalidation.invalidate({ kind: 'token', token: accessGone.accessToken });
    const refreshGone = await issue('alice', 'default_file');
    await h.invalidation.invalidate({ kind: 'refresh_token', refreshToken: refreshGone.refreshToken as string });
    const bothGone = await issue('alice', 'default_file');
    await h.invalidation.invalidate({ kind: 'token', token: bothGone.accessToken });
    await h.invalidation.invalidate({ kind: 'refresh_token', refreshToken: bothGone.refreshToken as string });
    all = {
      alice: [...fresh, ...credentials, accessGone, refreshGone, expiredAccess],
      aliceDead: [expiredCredentials, bothGone],
      tooOld: [tooOld],
      bob: [await issue('bob', 'default_file')],
      aliceNative: [await issue('alice', 'default_native')],
      carol: [await issue('carol', 'default_native')],
    };
  });

  it('IV-8: realm_name invalidates every active pair of the realm, counting halves', async () => {
    const result = await h.invalidation.invalidate({ kind: 'scope', realm: 'default_file' });
    // alice: 2x2 + 3x1 + (1+1p) + (1+1p) + 2 = 11 invalidated, 2 previously; bob: 2.
    expect(result.response).toEqual(counts(13, 2));
    for (const token of [...(all.alice ?? []), ...(all.bob ?? [])])
      expect(await works(h, token)).toEqual({ access: false, refresh: false });
    for (const token of [...(all.aliceNative ?? []), ...(all.carol ?? [])])
      expect(await works(h, token)).toEqual({ access: true, refresh: true });
  });

  it('IV-8: username invalidates the user in every realm', async () => {
    const result = await h.invalidation.invalidate({ kind: 'scope', username: 'alice' });
    expect(result.response).toEqual(counts(13, 2));
    for (const token of [...(all.bob ?? []), ...(all.carol ?? [])])
      expect(await works(h, token)).toEqual({ access: true, refresh: true });
  });

  it('IV-8: username and realm_name must both match', async () => {
    const result = await h.invalidation.invalidate({ kind: 'scope', username: 'alice', realm: 'default_native' });
    expect(result.response).toEqual(counts(2, 0));
    for (const token of all.aliceNative ?? []) expect(await works(h, token)).toEqual({ access: false, refresh: false });
    for (const token of [all.alice?.[0], all.carol?.[0], all.bob?.[0]]) {
      expect(await works(h, token as { accessToken: string })).toEqual({ access: true, refresh: true });
    }
  });

  it('IV-8: a pair older than 24 h is neither counted nor touched', async () => {
    await h.invalidation.invalidate({ kind: 'scope', realm: 'default_file' });
    const old = await documents.send(
      new GetCommand({ TableName: h.tableName, Key: { id: pairIdOf(all.tooOld?.[0]?.accessToken) } }),
    );
    expect(old.Item).toMatchObject({ accessInvalidated: false, refreshInvalidated: false });
  });

  it('IV-9: no matching realm or user is 200 with zero counts', async () => {
    for (const scope of [{ realm: 'nope' }, { username: 'nobody' }, { username: 'carol', realm: 'default_file' }]) {
      const result = await h.invalidation.invalidate({ kind: 'scope', ...scope });
      expect(result.found).toBe(true);
      expect(result.response).toEqual(counts(0, 0));
    }
  });

  it('IV-8: a second sweep finds nothing left to count', async () => {
    await h.invalidation.invalidate({ kind: 'scope', realm: 'default_file' });
    expect((await h.invalidation.invalidate({ kind: 'scope', realm: 'default_file' })).response).toEqual(counts(0, 0));
  });
});

function pairIdOf(token: string | undefined): string {
  return decodeToken(token as string)?.pairId as string;
}

/** Issues `count` pairs with bounded concurrency (DynamoDB Local on 2 cores). */
async function issueMany(h: Harness, count: number, authentication: Authentication, withRefreshToken = true) {
  const issued: { accessToken: string; refreshToken?: string }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < count) {
        next++;
        issued.push(await h.tokens.issue({ authentication, client: CREATOR, withRefreshToken }));
      }
    }),
  );
  return issued;
}

async function everyTokenRefused(h: Harness, issued: { accessToken: string; refreshToken?: string }[]): Promise<number> {
  let working = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < issued.length) {
        const token = issued[next++] as { accessToken: string; refreshToken?: string };
        const { access, refresh } = await works(h, token);
        if (access || refresh) working++;
      }
    }),
  );
  return working;
}

describe('IV-10: scale, faults, budget and index lag (DynamoDB Local)', () => {
  it('IV-10: 3,000 pairs of one realm, across all shards, are invalidated in one call with exact counts', async () => {
    const h = await harness();
    const issued = await issueMany(h, 3_000, user('svc', 'default_file'));
    const result = await h.invalidation.invalidate({ kind: 'scope', realm: 'default_file' });
    expect(result.continuing).toBe(false);
    expect(result.response).toEqual(counts(6_000, 0));
    expect(await everyTokenRefused(h, issued)).toBe(0);
    // DynamoDB Local does a few hundred writes a second: seeding and checking 3,000 pairs takes a while.
  }, 180_000);

  it('IV-10: with throttling and a non-retryable error injected, counts plus reported halves equal the matching halves', async () => {
    const tableName = await createTokensTable(client);
    const seed = await harness({}, tableName);
    const passwordPairs = await issueMany(seed, 120, user('svc', 'default_file'));
    const credentialTokens = await issueMany(seed, 60, user('svc', 'default_file'), false);
    const matchingHalves = 120 * 2 + 60;
    // Every 4th pair update is throttled (retried, most then succeed); every pair in a chosen set fails for good.
    const doomed = new Set([...passwordPairs.slice(0, 5), ...credentialTokens.slice(0, 3)].map((t) => pairIdOf(t.accessToken)));
    let updates = 0;
    const h = await harness(
      {
        faults: (command) => {
          if (!(command instanceof UpdateCommand) || !command.input.UpdateExpression?.includes('REMOVE realmKey, userKey'))
            return undefined;
          if (doomed.has(command.input.Key?.id as string))
            return Object.assign(new Error('injected'), { name: 'ValidationException' });
          if (++updates % 4 === 0)
            return Object.assign(new Error('injected'), { name: 'ProvisionedThroughputExceededException' });
          return undefined;
        },
      },
      tableName,
    );
    const { response } = await h.invalidation.invalidate({ kind: 'scope', username: 'svc' });
    expect(response.error_count).toBe(5 * 2 + 3);
    expect(response.invalidated_tokens + response.previously_invalidated_tokens + response.error_count).toBe(matchingHalves);
    expect(response.error_details).toHaveLength(response.error_count);
    expect(response.error_details?.[0]).toEqual({
      type: 'exception',
      reason: expect.stringMatching(/^Error invalidating (access|refresh)_token: /),
      caused_by: expect.objectContaining({ type: expect.any(String) }),
    });
  });

  it('IV-10: when the budget runs out, the call answers partial counts and the rest is invalidated in the background', async () => {
    const h = await harness({ budgetMs: 0, pageSize: 5 });
    const issued = await issueMany(h, 200, user('svc', 'default_file'));
    const result = await h.invalidation.invalidate({ kind: 'scope', realm: 'default_file' });
    expect(result.continuing).toBe(true);
    expect(result.response.invalidated_tokens).toBeGreaterThan(0);
    expect(result.response.invalidated_tokens).toBeLessThan(400);
    await h.continuation.idle();
    expect(await everyTokenRefused(h, issued)).toBe(0);
  });

  it('IV-10: a pair the index did not yet show is caught by the catch-up pass after the settle delay', async () => {
    const tableName = await createTokensTable(client);
    const seed = await harness({}, tableName);
    const issued = await issueMany(seed, 20, user('svc', 'default_file'));
    // The index "lags": the first read of each shard sees nothing, as if the pairs had not propagated yet.
    const lagging = new Set<string>();
    const h = await harness(
      {
        settleMs: 1,
        faults: (command) => {
          if (!(command instanceof QueryCommand)) return undefined;
          const shard = command.input.ExpressionAttributeValues?.[':partition'] as string;
          if (lagging.has(shard)) return undefined;
          lagging.add(shard);
          return new QueryCommand({
            ...command.input,
            ExpressionAttributeValues: { ...command.input.ExpressionAttributeValues, ':partition': 'lag' },
          });
        },
      },
      tableName,
    );
    const result = await h.invalidation.invalidate({ kind: 'scope', realm: 'default_file' });
    expect(result.response).toEqual(counts(40, 0));
    expect(await everyTokenRefused(h, issued)).toBe(0);
  });
});
