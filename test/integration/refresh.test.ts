import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { OAuth2Error, StorageUnavailableError, TokenExpiredError } from '../../functions/errors';
import { clientOf } from '../../functions/security/authc/authentication';
import { DynamoDbTokenStore } from '../../functions/store/dynamodb-token-store';
import { PAIR_LIFETIME_MS, REFRESH_REPEAT_WINDOW_MS } from '../../functions/tokens/token-pair';
import { TokenService } from '../../functions/tokens/token-service';
import { decodeToken, encodeToken, newSecret } from '../../functions/tokens/token-string';
import { FixedClock, MINUTE } from '../support/clock';
import { createTokensTable, scanAll, testClients } from '../support/dynamodb';
import { withFaults } from '../support/faults';
import { authenticatedUser, ELASTIC_CLIENT, FILE_REALM } from '../support/test-users';

const { client, documents } = testClients();
const TIMEOUT = 20 * MINUTE;
let tableName: string;
let clock: FixedClock;
let tokens: TokenService;

const alice = authenticatedUser('alice', FILE_REALM, { roles: ['r1'], full_name: 'Alice' });
/** The caller of get-token that created alice's pairs. */
const creator = ELASTIC_CLIENT;

function serviceOver(store: DynamoDbTokenStore): TokenService {
  return new TokenService({ store, clock: clock.now, accessTokenTimeoutMs: TIMEOUT });
}

beforeAll(async () => {
  tableName = await createTokensTable(client);
});
beforeEach(() => {
  clock = new FixedClock();
  tokens = serviceOver(new DynamoDbTokenStore({ client: documents, tableName, indexShards: 16 }));
});

async function aPair() {
  const issued = await tokens.issue({ authentication: alice, client: creator, withRefreshToken: true });
  return { ...issued, refreshToken: issued.refreshToken as string };
}

async function refreshError(refreshToken: string, caller = creator): Promise<OAuth2Error> {
  const error = await tokens.refresh(refreshToken, caller).catch((e: unknown) => e);
  if (!(error instanceof OAuth2Error)) throw new Error(`expected an OAuth2 error, got ${String(error)}`);
  expect(error.code).toBe('invalid_grant');
  return error;
}

describe('refresh (DynamoDB Local, fixed clock)', () => {
  it('GT-11: a refresh answers a new pair for the same user, authenticated by token', async () => {
    const { refreshToken, accessToken } = await aPair();
    const refreshed = await tokens.refresh(refreshToken, creator);
    expect(refreshed.accessToken).not.toBe(accessToken);
    expect(refreshed.refreshToken).not.toBe(refreshToken);
    expect(refreshed.authentication).toEqual({ ...alice, authentication_type: 'token' });
    expect(await tokens.authenticate(refreshed.accessToken)).toMatchObject({ username: 'alice' }); // AU-2
  });

  it('RF-1: a refresh token still works at exactly 24 h', async () => {
    const { refreshToken } = await aPair();
    clock.advance(PAIR_LIFETIME_MS);
    await expect(tokens.refresh(refreshToken, creator)).resolves.toMatchObject({ accessToken: expect.any(String) });
  });

  it('RF-3: 1 ms past 24 h the pair has expired', async () => {
    const { refreshToken } = await aPair();
    clock.advance(PAIR_LIFETIME_MS + 1);
    expect((await refreshError(refreshToken)).description).toBe('token document has expired');
  });

  it.each([
    ['malformed', () => 'not-a-refresh-token'],
    ['unknown', () => encodeToken('refresh', 'AAAAAAAAAAAAAAAAAAAAAA', newSecret())],
  ])('RF-2: a %s refresh token could not be refreshed', async (_name, token) => {
    expect((await refreshError(token())).description).toBe('could not refresh the requested token');
  });

  it('RF-2: a wrong secret, an access token, and a client_credentials pair could not be refreshed', async () => {
    const { refreshToken, accessToken } = await aPair();
    const wrongSecret = encodeToken('refresh', decodeToken(refreshToken)?.pairId as string, newSecret());
    const credentials = await tokens.issue({ authentication: alice, client: clientOf(alice), withRefreshToken: false });
    const noRefreshHalf = encodeToken('refresh', credentials.pair.id, newSecret());
    for (const token of [wrongSecret, accessToken, noRefreshHalf]) {
      expect((await refreshError(token)).description).toBe('could not refresh the requested token');
    }
  });

  it('RF-4: an invalidated refresh half is refused', async () => {
    const { refreshToken, pair } = await aPair();
    await documents.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: { id: pair.id },
              UpdateExpression: 'SET refreshInvalidated = :true',
              ExpressionAttributeValues: { ':true': true },
            },
          },
        ],
      }),
    );
    expect((await refreshError(refreshToken)).description).toBe('token has been invalidated');
  });

  it.each([
    ['another user', { username: 'mallory', realm: 'reserved' }],
    ['the same username in another realm', { username: 'elastic', realm: 'default_file' }],
    ['the user of the pair itself', { username: 'alice', realm: 'default_file' }],
  ])('RF-5: %s is not the creating client', async (_name, caller) => {
    const { refreshToken } = await aPair();
    expect((await refreshError(refreshToken, caller)).description).toBe('tokens must be refreshed by the creating client');
  });

  it('RF-6: within 30 s a repeat answers exactly the same pair, at exactly 30 s too', async () => {
    const { refreshToken } = await aPair();
    const first = await tokens.refresh(refreshToken, creator);
    clock.advance(REFRESH_REPEAT_WINDOW_MS);
    const again = await tokens.refresh(refreshToken, creator);
    expect(again).toEqual(first);
  });

  it('RF-6: 1 ms past 30 s a repeat is refused', async () => {
    const { refreshToken } = await aPair();
    await tokens.refresh(refreshToken, creator);
    clock.advance(REFRESH_REPEAT_WINDOW_MS + 1);
    expect((await refreshError(refreshToken)).description).toBe(
      'token has already been refreshed more than 30 seconds in the past',
    );
  });

  it('RF-6: the stored form of the refreshed pair does not reveal the successor tokens', async () => {
    const { refreshToken, pair } = await aPair();
    const successor = await tokens.refresh(refreshToken, creator);
    const dump = JSON.stringify((await scanAll(documents, tableName)).filter((item) => item.id === pair.id));
    expect(dump).toContain('superseding');
    expect(dump).not.toContain(successor.accessToken);
    expect(dump).not.toContain(successor.refreshToken);
  });

  it('RF-7: the new access token lives the timeout from the refresh, the new refresh token 24 h from it; the old access token stays valid', async () => {
    const { refreshToken, accessToken } = await aPair();
    clock.advance(10 * MINUTE);
    const successor = await tokens.refresh(refreshToken, creator);
    await expect(tokens.authenticate(accessToken)).resolves.toMatchObject({ username: 'alice' });

    clock.advance(TIMEOUT);
    await expect(tokens.authenticate(successor.accessToken)).resolves.toMatchObject({ username: 'alice' });
    await expect(tokens.authenticate(accessToken)).rejects.toBeInstanceOf(TokenExpiredError);
    clock.advance(1);
    await expect(tokens.authenticate(successor.accessToken)).rejects.toBeInstanceOf(TokenExpiredError);

    clock.advance(PAIR_LIFETIME_MS - TIMEOUT - 1);
    await expect(tokens.refresh(successor.refreshToken, creator)).resolves.toMatchObject({ accessToken: expect.any(String) });
  });

  it('RF-8: concurrent refreshes of one token converge on exactly one new pair', async () => {
    const { refreshToken } = await aPair();
    const before = (await scanAll(documents, tableName)).length;
    const results = await Promise.all(Array.from({ length: 25 }, () => tokens.refresh(refreshToken, creator)));
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
    expect(new Set(results.map((r) => r.refreshToken)).size).toBe(1);
    expect((await scanAll(documents, tableName)).length).toBe(before + 1);
  });

  describe('faults', () => {
    it('RF-8: a transaction that never reaches DynamoDB is a 503 and leaves the refresh token usable', async () => {
      const { refreshToken } = await aPair();
      const before = (await scanAll(documents, tableName)).length;
      const faulty = withFaults(documents, (command) =>
        command instanceof TransactWriteCommand ? new Error('socket hang up') : undefined,
      );
      const broken = serviceOver(new DynamoDbTokenStore({ client: faulty, tableName, indexShards: 16 }));
      await expect(broken.refresh(refreshToken, creator)).rejects.toBeInstanceOf(StorageUnavailableError);
      expect((await scanAll(documents, tableName)).length).toBe(before);
      await expect(tokens.refresh(refreshToken, creator)).resolves.toMatchObject({ accessToken: expect.any(String) });
    });

    it('RF-8: a transaction DynamoDB cancels on the successor write leaves neither the mark nor a half-written successor', async () => {
      const { refreshToken, pair } = await aPair();
      const before = await scanAll(documents, tableName);
      // The successor's put is made to fail its condition inside DynamoDB, after the old pair's update.
      const faulty = withFaults(documents, (command) => {
        if (!(command instanceof TransactWriteCommand)) return undefined;
        const [update, put] = command.input.TransactItems ?? [];
        return new TransactWriteCommand({
          TransactItems: [update ?? {}, { Put: { ...put?.Put, ConditionExpression: 'attribute_exists(id)' } as never }],
        });
      });
      const broken = serviceOver(new DynamoDbTokenStore({ client: faulty, tableName, indexShards: 16 }));
      await expect(broken.refresh(refreshToken, creator)).rejects.toBeInstanceOf(StorageUnavailableError);

      const after = await scanAll(documents, tableName);
      expect(after.length).toBe(before.length);
      expect(after.find((item) => item.id === pair.id)).not.toHaveProperty('refreshedAt');
      await expect(tokens.refresh(refreshToken, creator)).resolves.toMatchObject({ accessToken: expect.any(String) });
    });
  });
});
