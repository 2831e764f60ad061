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

  it(`LC-2: a family longer than ${MAX_FAMILY_STEPS} pairs each way is revoked that far and reported`, async () => {
    const family = await familyOf(MAX_FAMILY_STEPS + 2);
    clock.advance(REFRESH_REPEAT_WINDOW_MS + 1);

    await expect(tokens.refresh(family[0] as string, creator)).rejects.toMatchObject({ code: 'invalid_grant' });

    expect(told.detected).toEqual([]);
    expect(told.failed).toHaveLength(1);
  });
});
