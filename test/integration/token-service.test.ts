import { AuthenticationError, TokenExpiredError } from '../../functions/errors';
import { clientOf } from '../../functions/security/authc/authentication';
import { authenticatingUserOf, restoreRunAs } from '../../functions/security/authz/run-as';
import { DynamoDbTokenStore } from '../../functions/store/dynamodb-token-store';
import { PAIR_LIFETIME_MS } from '../../functions/tokens/token-pair';
import { TokenService } from '../../functions/tokens/token-service';
import { decodeToken, encodeToken, newSecret } from '../../functions/tokens/token-string';
import { FixedClock, MINUTE } from '../support/clock';
import { createTokensTable, scanAll, testClients } from '../support/dynamodb';
import { authenticatedUser, FILE_REALM } from '../support/test-users';

const { client, documents } = testClients();
const clock = new FixedClock();
const TIMEOUT = 20 * MINUTE;
let tableName: string;
let tokens: TokenService;

const alice = authenticatedUser('alice', FILE_REALM, { roles: ['r1'] });

beforeAll(async () => {
  tableName = await createTokensTable(client);
  const store = new DynamoDbTokenStore({ client: documents, tableName, indexShards: 16 });
  tokens = new TokenService({ store, clock: clock.now, accessTokenTimeoutMs: TIMEOUT });
});

function secretOf(token: string): Buffer {
  const parts = decodeToken(token);
  if (parts === undefined) throw new Error('not a token');
  return parts.secret;
}

async function issue(withRefreshToken = true) {
  return tokens.issue({ authentication: alice, client: clientOf(alice), withRefreshToken });
}

describe('token service (DynamoDB Local, fixed clock)', () => {
  it('AU-1: an access token authenticates as its user, with authentication_type token', async () => {
    const { accessToken } = await issue();
    expect(await tokens.authenticate(accessToken)).toEqual({ ...alice, authentication_type: 'token' });
  });

  it('GT-8: a pair without a refresh token can be issued', async () => {
    const issued = await issue(false);
    expect(issued.refreshToken).toBeUndefined();
    expect(issued.pair.refreshHash).toBeUndefined();
  });

  it('GT-11, AU-4: the access token is valid at exactly the timeout and expired 1 ms later', async () => {
    const { accessToken } = await issue();
    clock.advance(TIMEOUT);
    await expect(tokens.authenticate(accessToken)).resolves.toMatchObject({ username: 'alice' });
    clock.advance(1);
    await expect(tokens.authenticate(accessToken)).rejects.toBeInstanceOf(TokenExpiredError);
  });

  it('AU-6: a pair older than 24 h is treated as missing although storage still holds it', async () => {
    const { accessToken, pair } = await issue();
    clock.advance(PAIR_LIFETIME_MS + 1);
    const error = await tokens.authenticate(accessToken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).not.toBeInstanceOf(TokenExpiredError);
    expect((error as AuthenticationError).details).toEqual({
      additional_unsuccessful_credentials: 'oauth2 token: invalid token',
    });
    expect((await scanAll(documents, tableName)).some((item) => item.id === pair.id)).toBe(true);
  });

  it('AU-5: a wrong secret for a real pair id is an unknown token', async () => {
    const { accessToken } = await issue();
    const forged = encodeToken('access', decodeToken(accessToken)?.pairId as string, newSecret());
    await expect(tokens.authenticate(forged)).rejects.not.toBeInstanceOf(TokenExpiredError);
    await expect(tokens.authenticate(forged)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('AU-5: an access token whose kind byte disagrees with its pair is an unknown token', async () => {
    for (const withRefreshToken of [true, false]) {
      const { accessToken } = await issue(withRefreshToken);
      const parts = decodeToken(accessToken);
      expect(parts?.soleHalf).toBe(!withRefreshToken);
      await expect(tokens.authenticate(accessToken)).resolves.toMatchObject({ username: 'alice' });
      const flipped = encodeToken('access', parts?.pairId as string, parts?.secret as Buffer, withRefreshToken);
      await expect(tokens.authenticate(flipped)).rejects.toThrow(/unable to authenticate with provided credentials/);
    }
  });

  it('AU-5: a refresh token is not an access token', async () => {
    const { refreshToken } = await issue();
    await expect(tokens.authenticate(refreshToken as string)).rejects.toThrow(/unable to authenticate with provided credentials/);
  });

  it('stores only hashes: no token string or secret is in the table', async () => {
    const { accessToken, refreshToken } = await issue();
    const dump = JSON.stringify(await scanAll(documents, tableName));
    for (const token of [accessToken, refreshToken as string]) {
      const secret = secretOf(token);
      expect(dump).not.toContain(token);
      for (const encoding of ['base64url', 'base64', 'hex'] as const) expect(dump).not.toContain(secret.toString(encoding));
    }
  });
});

describe('a pair minted under run-as keeps both subjects (DynamoDB Local)', () => {
  const W = { username: 'w', roles: ['w_runner'] };

  it('AU-2: the pair authenticates as the run-as, authenticated by W, and so does its successor after a refresh', async () => {
    const runAs = restoreRunAs({ ...alice }, W);
    const issued = await tokens.issue({ authentication: runAs, client: clientOf(runAs), withRefreshToken: true });
    const [item] = (await scanAll(documents, tableName)).filter((i) => i.id === issued.pair.id);
    expect(item?.authenticatingUser).toEqual(W);

    const byToken = await tokens.authenticate(issued.accessToken);
    expect(byToken).toEqual({ ...alice, authentication_type: 'token' });
    expect(authenticatingUserOf(byToken)).toEqual(W);

    const refreshed = await tokens.refresh(issued.refreshToken as string, clientOf(runAs));
    expect(authenticatingUserOf(refreshed.authentication)).toEqual(W);
    expect(authenticatingUserOf(await tokens.authenticate(refreshed.accessToken))).toEqual(W);
  });

  it('AU-2: a pair stored without the authenticating user (issued by the previous version) still authenticates, as itself', async () => {
    const { accessToken, pair } = await issue();
    const [item] = (await scanAll(documents, tableName)).filter((i) => i.id === pair.id);
    expect(item).not.toHaveProperty('authenticatingUser');
    const byToken = await tokens.authenticate(accessToken);
    expect(byToken).toMatchObject({ username: 'alice', authentication_type: 'token' });
    expect(authenticatingUserOf(byToken)).toBeUndefined();
  });
});
