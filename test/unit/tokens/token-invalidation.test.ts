import { TokenExpiredError } from '../../../functions/errors';
import { SweepRunner } from '../../../functions/tokens/sweep-runner';
import { TokenInvalidation } from '../../../functions/tokens/token-invalidation';
import { PAIR_LIFETIME_MS } from '../../../functions/tokens/token-pair';
import { TokenService } from '../../../functions/tokens/token-service';
import { FixedClock, MINUTE } from '../../support/clock';
import { InMemorySweepJobStore } from '../../support/in-memory/sweep-jobs';
import { InMemoryTokenStore } from '../../support/in-memory/token-store';
import { RecordedSweepEvents, testSweep } from '../../support/sweep';
import { authenticatedUser, ELASTIC_CLIENT as CREATOR } from '../../support/test-users';

/** Single-token invalidation (IV-5..IV-7) against the in-memory store, lost replies included. */
const alice = authenticatedUser('alice');

let clock: FixedClock;
let store: InMemoryTokenStore;
let tokens: TokenService;
let invalidation: TokenInvalidation;

beforeEach(() => {
  clock = new FixedClock(1_700_000_000_000);
  store = new InMemoryTokenStore();
  tokens = new TokenService({ store, clock: clock.now, accessTokenTimeoutMs: 20 * MINUTE });
  const sweep = testSweep(store, { elapsed: () => 0 });
  const sweeps = new SweepRunner({
    sweep,
    store,
    jobs: new InMemorySweepJobStore(),
    continuation: () => ({ continueLater: async () => undefined }),
    clock: clock.now,
    leaseMs: MINUTE,
    elapsed: () => 0,
    events: new RecordedSweepEvents(),
  });
  invalidation = new TokenInvalidation({ store, clock: clock.now, sweeps });
});

const issue = (withRefreshToken = true) => tokens.issue({ authentication: alice, client: CREATOR, withRefreshToken });
const counts = (invalidated: number, previously: number) => ({
  invalidated_tokens: invalidated,
  previously_invalidated_tokens: previously,
  error_count: 0,
});

describe('token invalidation (in-memory store)', () => {
  it('IV-5, IV-6: an access token is invalidated once, then previously; its refresh token is untouched', async () => {
    const { accessToken, refreshToken } = await issue();
    await expect(invalidation.invalidate({ kind: 'token', token: accessToken })).resolves.toEqual({
      found: true,
      response: counts(1, 0),
      continuing: false,
    });
    await expect(invalidation.invalidate({ kind: 'token', token: accessToken })).resolves.toMatchObject({
      response: counts(0, 1),
    });
    await expect(tokens.authenticate(accessToken)).rejects.toBeInstanceOf(TokenExpiredError);
    await expect(tokens.refresh(refreshToken as string, CREATOR)).resolves.toBeDefined();
  });

  it('IV-7: a token of the other kind, a malformed one, or one past 24 h is not found', async () => {
    const { accessToken, refreshToken } = await issue();
    await expect(invalidation.invalidate({ kind: 'token', token: refreshToken as string })).resolves.toMatchObject({
      found: false,
    });
    await expect(invalidation.invalidate({ kind: 'refresh_token', refreshToken: 'x' })).resolves.toMatchObject({ found: false });
    clock.advance(PAIR_LIFETIME_MS + 1);
    await expect(invalidation.invalidate({ kind: 'token', token: accessToken })).resolves.toMatchObject({
      found: false,
      response: counts(0, 0),
    });
  });

  it("IV-5, ER-11: a write whose reply was lost is a 503; the client's retry is told previously_invalidated", async () => {
    const { accessToken } = await issue(false);
    store.faults.failNext('invalidateHalf', 'lostReply');
    await expect(invalidation.invalidate({ kind: 'token', token: accessToken })).rejects.toMatchObject({ status: 503 });
    await expect(tokens.authenticate(accessToken)).rejects.toBeInstanceOf(TokenExpiredError);
    // A new request has a new id: the half was invalidated by another one, as Elasticsearch would count it.
    await expect(invalidation.invalidate({ kind: 'token', token: accessToken })).resolves.toMatchObject({
      response: counts(0, 1),
    });
  });

  it('IV-8: a realm-wide invalidation counts every half of the realm, and refuses the tokens', async () => {
    const issued = [await issue(), await issue(false)];
    await expect(invalidation.invalidate({ kind: 'scope', realm: 'default_file' })).resolves.toEqual({
      found: true,
      response: counts(3, 0),
      continuing: false,
    });
    for (const { accessToken } of issued)
      await expect(tokens.authenticate(accessToken)).rejects.toBeInstanceOf(TokenExpiredError);
  });
});
