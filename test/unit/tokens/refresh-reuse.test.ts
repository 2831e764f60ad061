import { authenticatedByRealm, clientOf } from '../../../functions/security/authc/authentication';
import { MAX_FAMILY_STEPS, RefreshReuse, type ReuseEvents } from '../../../functions/tokens/lifecycle/refresh-reuse';
import { PAIR_LIFETIME_MS, REFRESH_REPEAT_WINDOW_MS } from '../../../functions/tokens/token-pair';
import { TokenService } from '../../../functions/tokens/token-service';
import { FixedClock, MINUTE } from '../../support/clock';
import { InMemoryTokenStore } from '../../support/in-memory/token-store';

/** The family walk against the in-memory token store, whose contract with DynamoDB's adapter is tested elsewhere. */
const alice = authenticatedByRealm(
  { username: 'alice', roles: [], full_name: null, email: null, metadata: {}, enabled: true },
  { name: 'default_file', type: 'file' },
);
const creator = clientOf(alice);

let clock: FixedClock;
let store: InMemoryTokenStore;
let told: { detected: unknown[]; failed: unknown[] };
let tokens: TokenService;

beforeEach(() => {
  clock = new FixedClock(1_700_000_000_000);
  store = new InMemoryTokenStore();
  told = { detected: [], failed: [] };
  const events: ReuseEvents = {
    detected: (reuse) => told.detected.push(reuse),
    revocationFailed: (reuse) => told.failed.push(reuse),
  };
  const reuse = new RefreshReuse({ store, clock: clock.now, refreshLifetimeMs: PAIR_LIFETIME_MS, events });
  tokens = new TokenService({ store, clock: clock.now, accessTokenTimeoutMs: 20 * MINUTE, reuse });
});

async function familyOf(length: number): Promise<string[]> {
  const grant = await tokens.issue({ authentication: alice, client: creator, withRefreshToken: true });
  const refreshTokens = [grant.refreshToken as string];
  for (let n = 1; n < length; n++)
    refreshTokens.push((await tokens.refresh(refreshTokens[n - 1] as string, creator)).refreshToken);
  return refreshTokens;
}

describe('refresh token reuse detection (in-memory store)', () => {
  it('LC-2: a reuse past the window tells how many pairs of the family it revoked, and names no token', async () => {
    const family = await familyOf(4);
    clock.advance(REFRESH_REPEAT_WINDOW_MS + 1);

    await expect(tokens.refresh(family[1] as string, creator)).rejects.toMatchObject({ code: 'invalid_grant' });

    expect(told).toEqual({ detected: [{ pairId: expect.any(String), realm: 'default_file', pairsRevoked: 4 }], failed: [] });
    await expect(tokens.refresh(family[3] as string, creator)).rejects.toMatchObject({
      description: 'token has been invalidated',
    });
  });

  it('LC-2: inside the window nothing is told and nothing revoked', async () => {
    const family = await familyOf(2);
    clock.advance(REFRESH_REPEAT_WINDOW_MS);
    await tokens.refresh(family[0] as string, creator);
    expect(told).toEqual({ detected: [], failed: [] });
    await expect(tokens.refresh(family[1] as string, creator)).resolves.toBeDefined();
  });

  it('LC-2: a legitimate refresh landing in the middle of the walk adds a pair that the walk still revokes', async () => {
    const [grant, head] = (await familyOf(2)) as [string, string];
    clock.advance(REFRESH_REPEAT_WINDOW_MS + 1);
    let legitimate: Promise<{ refreshToken: string }> | undefined;
    // After the grant's pair is revoked, and before the head is, the legitimate client refreshes the head.
    store.faults.beforeNext('invalidatePair', () =>
      store.faults.beforeNext('invalidatePair', async () => {
        legitimate = tokens.refresh(head, creator);
        await legitimate;
      }),
    );

    await expect(tokens.refresh(grant, creator)).rejects.toMatchObject({ code: 'invalid_grant' });

    const answered = await (legitimate as Promise<{ refreshToken: string }>);
    expect(told.detected).toEqual([expect.objectContaining({ pairsRevoked: 3 })]);
    await expect(tokens.refresh(answered.refreshToken, creator)).rejects.toMatchObject({
      description: 'token has been invalidated',
    });
  });

  it('LC-2: a legitimate refresh whose write comes after the walk is refused, and adds no pair', async () => {
    const [grant, head] = (await familyOf(2)) as [string, string];
    clock.advance(REFRESH_REPEAT_WINDOW_MS + 1);
    const replay = tokens.refresh(grant, creator).catch((error: unknown) => error);
    store.faults.beforeNext('rotate', () => replay);

    await expect(tokens.refresh(head, creator)).rejects.toMatchObject({ description: 'token has been invalidated' });
    expect(told.detected).toEqual([expect.objectContaining({ pairsRevoked: 2 })]);
  });

  it("LC-2: a refresh whose own write's reply was lost answers its successor, even past the window, and tells nothing", async () => {
    const [grant] = (await familyOf(1)) as [string];
    store.faults.beforeNext('rotate', () => clock.advance(REFRESH_REPEAT_WINDOW_MS + 1));
    store.faults.failNext('rotate', 'lostReply');

    const answered = await tokens.refresh(grant, creator);

    expect(told).toEqual({ detected: [], failed: [] });
    await expect(tokens.authenticate(answered.accessToken)).resolves.toMatchObject({ username: 'alice' });
  });

  it(`LC-2: a family longer than ${MAX_FAMILY_STEPS} pairs each way is revoked that far and reported`, async () => {
    const family = await familyOf(MAX_FAMILY_STEPS + 2);
    clock.advance(REFRESH_REPEAT_WINDOW_MS + 1);

    await expect(tokens.refresh(family[0] as string, creator)).rejects.toMatchObject({ code: 'invalid_grant' });

    expect(told.detected).toEqual([]);
    expect(told.failed).toHaveLength(1);
  });
});
