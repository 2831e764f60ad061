import { TokenExpiredError } from '../../functions/errors';
import { DynamoDbTokenStore } from '../../functions/store/dynamodb-token-store';
import { TokenInvalidation } from '../../functions/tokens/token-invalidation';
import { TokenService } from '../../functions/tokens/token-service';
import { FixedClock, MINUTE } from '../support/clock';
import { createTokensTable, scanAll, testClients } from '../support/dynamodb';
import { testSweeps } from '../support/sweep';
import { authenticatedUser, ELASTIC_CLIENT as CREATOR } from '../support/test-users';

/**
 * Concurrency invariants against DynamoDB Local: whatever interleaving the storage picks, every token is
 * usable or not exactly as the contract says, and the counts add up.
 */
const { client, documents } = testClients();
const alice = authenticatedUser('alice');

let tableName: string;
let clock: FixedClock;
let tokens: TokenService;
let invalidation: TokenInvalidation;

beforeEach(async () => {
  tableName = await createTokensTable(client);
  clock = new FixedClock();
  const store = new DynamoDbTokenStore({ client: documents, tableName, indexShards: 16 });
  const { sweeps } = testSweeps({ store, documents, tableName, clock: clock.now });
  tokens = new TokenService({ store, clock: clock.now, accessTokenTimeoutMs: 20 * MINUTE });
  invalidation = new TokenInvalidation({ store, clock: clock.now, sweeps });
});

const issue = () => tokens.issue({ authentication: alice, client: CREATOR, withRefreshToken: true });
const settled = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

describe('concurrency invariants (DynamoDB Local)', () => {
  it('RF-4, RF-8, IV-6: refresh and invalidate of the same refresh token: one outcome, consistent with the other', async () => {
    let expectedItems = 0;
    for (let round = 0; round < 10; round++) {
      const pair = await issue();
      expectedItems++;
      const refreshToken = pair.refreshToken as string;
      const [refreshed, invalidated] = await Promise.all([
        settled(tokens.refresh(refreshToken, CREATOR)),
        invalidation.invalidate({ kind: 'refresh_token', refreshToken }),
      ]);
      // The invalidation always finds the half, and counts it exactly once.
      expect(invalidated.response).toEqual({ invalidated_tokens: 1, previously_invalidated_tokens: 0, error_count: 0 });
      if (refreshed.ok) {
        // The refresh won: its successor is stored and works; the old refresh token is now refused.
        await expect(tokens.authenticate(refreshed.value.accessToken)).resolves.toMatchObject({ username: 'alice' });
      } else {
        expect(refreshed.error).toMatchObject({ code: 'invalid_grant', description: 'token has been invalidated' });
      }
      await expect(tokens.refresh(refreshToken, CREATOR)).rejects.toMatchObject({ description: 'token has been invalidated' });
      // A successor exists exactly when the refresh answered 200: never a half-made or unanswered one.
      if (refreshed.ok) expectedItems++;
      expect((await scanAll(documents, tableName)).length).toBe(expectedItems);
    }
  });

  it('IV-8: simultaneous realm-wide invalidations count every half exactly once between them', async () => {
    const pairs = await Promise.all(Array.from({ length: 150 }, issue));
    const results = await Promise.all(
      Array.from({ length: 4 }, () => invalidation.invalidate({ kind: 'scope', realm: 'default_file' })),
    );
    const total = results.reduce((sum, r) => sum + r.response.invalidated_tokens, 0);
    expect(total).toBe(300);
    expect(results.every((r) => r.response.previously_invalidated_tokens === 0 && r.response.error_count === 0)).toBe(true);
    for (const pair of pairs.slice(0, 20)) {
      await expect(tokens.authenticate(pair.accessToken)).rejects.toBeInstanceOf(TokenExpiredError);
    }
  });

  it('IV-10: tokens issued during a realm-wide invalidation: those from before are all dead, and the counts match the dead pairs', async () => {
    const before = await Promise.all(Array.from({ length: 100 }, issue));
    const during: Promise<Awaited<ReturnType<typeof issue>>>[] = [];
    const sweep = invalidation.invalidate({ kind: 'scope', realm: 'default_file' });
    // Issued while the sweep runs, one millisecond later on the service's clock.
    clock.advance(1);
    for (let i = 0; i < 50; i++) during.push(issue());
    const [result, issuedDuring] = await Promise.all([sweep, Promise.all(during)]);

    // Dead means the contract's refusal of an invalidated token (AU-4); any other failure (a 503) fails the test.
    const works = async (accessToken: string) =>
      tokens.authenticate(accessToken).then(
        () => true,
        (error: unknown) => {
          if (error instanceof TokenExpiredError) return false;
          throw error;
        },
      );
    for (const pair of before) expect(await works(pair.accessToken)).toBe(false);
    // A pair created after the request is outside its window: it stays usable.
    let deadDuring = 0;
    for (const pair of issuedDuring) if (!(await works(pair.accessToken))) deadDuring++;
    expect(deadDuring).toBe(0);
    expect(result.response).toEqual({ invalidated_tokens: 200, previously_invalidated_tokens: 0, error_count: 0 });
  });
});
