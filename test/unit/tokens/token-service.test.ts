import { AuthenticationError, OAuth2Error, StorageUnavailableError, TokenExpiredError } from '../../../functions/errors';
import { clientOf } from '../../../functions/security/authc/authentication';
import { userDigest } from '../../../functions/tokens/scope-digest';
import { PAIR_LIFETIME_MS, REFRESH_REPEAT_WINDOW_MS } from '../../../functions/tokens/token-pair';
import { TokenService } from '../../../functions/tokens/token-service';
import { decodeToken, encodeToken, hashSecret } from '../../../functions/tokens/token-string';
import { FixedClock, MINUTE } from '../../support/clock';
import { InMemoryTokenStore } from '../../support/in-memory/token-store';
import { authenticatedUser, FILE_REALM } from '../../support/test-users';

/**
 * The token service against the in-memory token store (test/support/in-memory/): its contract with the
 * DynamoDB adapter is checked by test/integration/token-store-contract.test.ts, so these can be fast and
 * can place races and lost replies exactly.
 */
const TIMEOUT = 20 * MINUTE;
const alice = authenticatedUser('alice', FILE_REALM, { roles: ['r1'] });
const creator = clientOf(alice);

let clock: FixedClock;
let store: InMemoryTokenStore;
let tokens: TokenService;

beforeEach(() => {
  clock = new FixedClock(1_700_000_000_000);
  store = new InMemoryTokenStore();
  tokens = new TokenService({ store, clock: clock.now, accessTokenTimeoutMs: TIMEOUT });
});

const issue = (withRefreshToken = true) => tokens.issue({ authentication: alice, client: creator, withRefreshToken });
const pairIdOf = (token: string) => decodeToken(token)?.pairId as string;
const refused = (description: string) => expect.objectContaining({ code: 'invalid_grant', description });

/** Invalidates the refresh half of the pair a refresh token belongs to, as DELETE /_security/oauth2/token does. */
async function invalidateRefresh(refreshToken: string): Promise<void> {
  const parts = decodeToken(refreshToken);
  if (parts === undefined) throw new Error('not a token');
  const target = { pairId: parts.pairId, half: 'refresh' as const, secretHash: hashSecret(parts.secret), soleHalf: false };
  await store.invalidateHalf(target, { now: clock.time, createdNotBefore: clock.time - PAIR_LIFETIME_MS }, 'op');
}

describe('token service (in-memory store)', () => {
  it('AU-1, GT-7: an issued access token authenticates as its user, by token', async () => {
    const { accessToken } = await issue();
    await expect(tokens.authenticate(accessToken)).resolves.toEqual({ ...alice, authentication_type: 'token' });
  });

  it('GT-7, ER-11: no tokens are answered unless the pair is stored; a lost reply of the write is a 503', async () => {
    store.faults.failNext('create', 'unavailable');
    await expect(issue()).rejects.toBeInstanceOf(StorageUnavailableError);
    store.faults.failNext('create', 'lostReply');
    await expect(issue()).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(store.faults.calls.filter((call) => call === 'create')).toHaveLength(2);
  });

  it('AU-4: an access token covered by a watermark is expired, from the watermark on', async () => {
    const { accessToken, pair } = await issue();
    await store.revoke({ scope: { user: userDigest('alice') }, through: pair.createdAt - 1 });
    await expect(tokens.authenticate(accessToken)).resolves.toMatchObject({ username: 'alice' });
    await store.revoke({ scope: { user: userDigest('alice') }, through: pair.createdAt });
    await expect(tokens.authenticate(accessToken)).rejects.toBeInstanceOf(TokenExpiredError);
  });

  it("AU-5, RF-2: a token whose scope digests are not its pair's own is unknown, though another scope is revoked", async () => {
    const { accessToken, refreshToken } = await issue();
    await store.revoke({ scope: { user: userDigest('alice') }, through: clock.time });
    // Pointed at the watermarks of a user nobody revoked, the token would escape its own.
    const elsewhere = (token: string) => {
      const parts = decodeToken(token);
      if (parts?.scope === undefined) throw new Error('no digests');
      const scope = { ...parts.scope, user: userDigest('mallory') };
      return encodeToken(parts.kind, parts.pairId, parts.secret, parts.soleHalf, scope);
    };
    await expect(tokens.authenticate(elsewhere(accessToken))).rejects.toBeInstanceOf(AuthenticationError);
    await expect(tokens.authenticate(elsewhere(accessToken))).rejects.not.toBeInstanceOf(TokenExpiredError);
    await expect(tokens.refresh(elsewhere(refreshToken as string), creator)).rejects.toEqual(
      refused('could not refresh the requested token'),
    );
    await expect(tokens.authenticate(accessToken)).rejects.toBeInstanceOf(TokenExpiredError);
  });

  it('AU-6: past 24 h the pair is an unknown token (AU-5), not an expired one', async () => {
    const { accessToken } = await issue();
    clock.advance(PAIR_LIFETIME_MS + 1);
    const error = await tokens.authenticate(accessToken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).not.toBeInstanceOf(TokenExpiredError);
  });

  it('RF-1, RF-7: a refresh answers a new pair of the same user; the old access token is left as it is', async () => {
    const { accessToken, refreshToken } = await issue();
    clock.advance(MINUTE);
    const refreshed = await tokens.refresh(refreshToken as string, creator);
    await expect(tokens.authenticate(refreshed.accessToken)).resolves.toMatchObject({ username: 'alice' });
    await expect(tokens.authenticate(accessToken)).resolves.toMatchObject({ username: 'alice' });
    expect(store.stored(pairIdOf(refreshed.accessToken))?.createdAt).toBe(clock.time);
  });

  it('RF-6: a repeat within 30 s answers the same pair; later, an error', async () => {
    const { refreshToken } = await issue();
    const first = await tokens.refresh(refreshToken as string, creator);
    clock.advance(REFRESH_REPEAT_WINDOW_MS);
    await expect(tokens.refresh(refreshToken as string, creator)).resolves.toEqual(first);
    clock.advance(1);
    await expect(tokens.refresh(refreshToken as string, creator)).rejects.toEqual(
      refused('token has already been refreshed more than 30 seconds in the past'),
    );
  });

  it('RF-5, RF-2: only the creating client refreshes; an unknown refresh token is refused', async () => {
    const { refreshToken, accessToken } = await issue();
    await expect(tokens.refresh(refreshToken as string, { username: 'bob', realm: 'default_file' })).rejects.toEqual(
      refused('tokens must be refreshed by the creating client'),
    );
    await expect(tokens.refresh(accessToken, creator)).rejects.toEqual(refused('could not refresh the requested token'));
  });

  it('RF-6, RF-8: a concurrent refresh that wins the race is answered to both callers alike', async () => {
    const { refreshToken } = await issue();
    let winner: Promise<unknown> | undefined;
    store.faults.beforeNext('rotate', () => {
      winner = tokens.refresh(refreshToken as string, creator);
      return winner;
    });
    const loser = await tokens.refresh(refreshToken as string, creator);
    await expect(winner).resolves.toEqual(loser);
  });

  it("RF-4, RF-8: an invalidation between the refresh's read and its write wins: invalid_grant, no successor", async () => {
    const { refreshToken } = await issue();
    store.faults.beforeNext('rotate', () => invalidateRefresh(refreshToken as string));
    await expect(tokens.refresh(refreshToken as string, creator)).rejects.toEqual(refused('token has been invalidated'));
    expect(store.stored(pairIdOf(refreshToken as string))?.refreshedAt).toBeUndefined();
  });

  it("RF-8, IV-8: a watermark written between the refresh's read and its write wins too", async () => {
    const { refreshToken, pair } = await issue();
    store.faults.beforeNext('rotate', () => store.revoke({ scope: { realm: 'default_file' }, through: pair.createdAt }));
    await expect(tokens.refresh(refreshToken as string, creator)).rejects.toEqual(refused('token has been invalidated'));
  });

  it("RF-8, ER-11: a rotation whose reply was lost is a 503, and the client's retry gets the successor (RF-6)", async () => {
    const { refreshToken } = await issue();
    store.faults.failNext('rotate', 'lostReply');
    await expect(tokens.refresh(refreshToken as string, creator)).rejects.toBeInstanceOf(StorageUnavailableError);
    const retried = await tokens.refresh(refreshToken as string, creator);
    const successor = store.stored(pairIdOf(retried.accessToken));
    expect(successor?.accessHash).toBe(hashSecret(decodeToken(retried.accessToken)?.secret as Buffer));
    await expect(tokens.refresh(refreshToken as string, creator)).resolves.toEqual(retried);
  });

  it('ER-11: a rotation that fails before it is applied leaves the refresh token usable', async () => {
    const { refreshToken } = await issue();
    store.faults.failNext('rotate', 'unavailable');
    await expect(tokens.refresh(refreshToken as string, creator)).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(store.stored(pairIdOf(refreshToken as string))?.refreshedAt).toBeUndefined();
    await expect(tokens.refresh(refreshToken as string, creator)).resolves.toMatchObject({
      authentication: { username: 'alice' },
    });
  });

  it('RF-3: a pair past 24 h cannot be refreshed', async () => {
    const { refreshToken } = await issue();
    clock.advance(PAIR_LIFETIME_MS + 1);
    await expect(tokens.refresh(refreshToken as string, creator)).rejects.toEqual(refused('token document has expired'));
    await expect(tokens.refresh(refreshToken as string, creator)).rejects.toBeInstanceOf(OAuth2Error);
  });
});
