import { createHash } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TokenExpiredError } from '../../functions/errors';
import type { Authentication } from '../../functions/security/authc/authentication';
import { DynamoDbTokenStore } from '../../functions/store/dynamodb-token-store';
import { toItem } from '../../functions/store/token-items';
import { TokenInvalidation } from '../../functions/tokens/token-invalidation';
import type { TokenPair } from '../../functions/tokens/token-pair';
import { TokenService } from '../../functions/tokens/token-service';
import { decodeToken, encodeToken, hashSecret, newPairId, newSecret, shardOf } from '../../functions/tokens/token-string';
import { FixedClock, MINUTE } from '../support/clock';
import { createTokensTable, testClients } from '../support/dynamodb';
import { testSweeps } from '../support/sweep';
import { ELASTIC_CLIENT as CREATOR, fileRealmUser } from '../support/test-users';

/**
 * The upgrade (docs/design.md, "Upgrade from the previous layout"): tokens issued by the previous version,
 * whose strings carry no scope digests, whose pairs are indexed by the plain username and whose watermarks
 * sit in 16 shared items, keep working until they expire and stay revocable by realm, user and token.
 * The previous version's items and token strings are written here as it wrote them.
 */
const { client, documents } = testClients();
const REALM = 'default_file';

function user(username: string): Authentication {
  return fileRealmUser(username, REALM, { roles: ['r1'] });
}

interface PreviousTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
}

/** A pair as the previous version stored it (the username index keyed by the name) and its tokens as it encoded them. */
async function previousVersionPair(tableName: string, createdAt: number, username: string): Promise<PreviousTokens> {
  const [accessSecret, refreshSecret] = [newSecret(), newSecret()];
  const pair: TokenPair = {
    id: newPairId(),
    accessHash: hashSecret(accessSecret),
    refreshHash: hashSecret(refreshSecret),
    createdAt,
    accessExpiresAt: createdAt + 20 * MINUTE,
    accessInvalidated: false,
    refreshInvalidated: false,
    authentication: user(username),
    client: CREATOR,
  };
  const item = { ...toItem(pair, 16), userKey: `${username}#${shardOf(pair.id, 16)}` };
  await documents.send(new PutCommand({ TableName: tableName, Item: item }));
  // Without digests, encodeToken writes the previous version's format (kinds 0x01..0x03).
  return {
    accessToken: encodeToken('access', pair.id, accessSecret),
    refreshToken: encodeToken('refresh', pair.id, refreshSecret),
  };
}

/** A watermark as the previous version wrote it: an entry in the shard item of the pair id. */
async function previousVersionWatermark(
  tableName: string,
  pairId: string,
  scope: [string | null, string | null],
  through: number,
) {
  const entry = `w_${createHash('sha256').update(JSON.stringify(scope)).digest('base64url').slice(0, 22)}`;
  await documents.send(
    new PutCommand({ TableName: tableName, Item: { id: `#revoked#${shardOf(pairId, 16)}`, [entry]: through, expiresAt: 0 } }),
  );
}

async function service() {
  const tableName = await createTokensTable(client);
  const clock = new FixedClock();
  const store = new DynamoDbTokenStore({ client: documents, tableName, indexShards: 16 });
  const sweeps = testSweeps({ store, documents, tableName, clock: clock.now, sweep: { settleMs: 0 } });
  return {
    tableName,
    clock,
    sweeps,
    tokens: new TokenService({ store, clock: clock.now, accessTokenTimeoutMs: 20 * MINUTE }),
    invalidation: new TokenInvalidation({ store, clock: clock.now, sweeps: sweeps.sweeps }),
  };
}

const invalidatedBoth = { invalidated_tokens: 2, previously_invalidated_tokens: 0, error_count: 0 };

describe('tokens issued by the previous version (DynamoDB Local)', () => {
  it('AU-1, RF-1: are accepted, and a refresh answers tokens of the current format', async () => {
    const s = await service();
    const issued = await previousVersionPair(s.tableName, s.clock.now(), 'alice');
    expect(decodeToken(issued.accessToken)?.scope).toBeUndefined();
    await expect(s.tokens.authenticate(issued.accessToken)).resolves.toMatchObject({ username: 'alice' });
    const refreshed = await s.tokens.refresh(issued.refreshToken, CREATOR);
    expect(decodeToken(refreshed.accessToken)?.scope).toBeDefined();
    await expect(s.tokens.authenticate(refreshed.accessToken)).resolves.toMatchObject({ username: 'alice' });
  });

  it('IV-8: are refused by a watermark the previous version wrote before the upgrade', async () => {
    const s = await service();
    const issued = await previousVersionPair(s.tableName, s.clock.now(), 'alice');
    const pairId = decodeToken(issued.accessToken)?.pairId as string;
    await previousVersionWatermark(s.tableName, pairId, [REALM, null], s.clock.now());
    await expect(s.tokens.authenticate(issued.accessToken)).rejects.toBeInstanceOf(TokenExpiredError);
    await expect(s.tokens.refresh(issued.refreshToken, CREATOR)).rejects.toMatchObject({
      code: 'invalid_grant',
      description: 'token has been invalidated',
    });
  });

  it('IV-8: a realm-wide invalidation refuses them at once and its sweep counts them', async () => {
    const s = await service();
    const issued = await previousVersionPair(s.tableName, s.clock.now(), 'alice');
    const result = await s.invalidation.invalidate({ kind: 'scope', realm: REALM });
    expect(result.response).toEqual(invalidatedBoth);
    await expect(s.tokens.authenticate(issued.accessToken)).rejects.toBeInstanceOf(TokenExpiredError);
  });

  it.each([{ username: 'alice' }, { username: 'alice', realm: REALM }])(
    'IV-8: an invalidation of %j refuses them at once and its sweep finds them under the plain name',
    async (scope) => {
      const s = await service();
      const issued = await previousVersionPair(s.tableName, s.clock.now(), 'alice');
      const bob = await previousVersionPair(s.tableName, s.clock.now(), 'bob');
      const result = await s.invalidation.invalidate({ kind: 'scope', ...scope });
      expect(result.response).toEqual(invalidatedBoth);
      await expect(s.tokens.authenticate(issued.accessToken)).rejects.toBeInstanceOf(TokenExpiredError);
      await expect(s.tokens.refresh(issued.refreshToken, CREATOR)).rejects.toMatchObject({
        code: 'invalid_grant',
        description: 'token has been invalidated',
      });
      await expect(s.tokens.authenticate(bob.accessToken)).resolves.toMatchObject({ username: 'bob' });
    },
  );

  it('IV-5, IV-6: each of their tokens is invalidated by itself', async () => {
    const s = await service();
    const issued = await previousVersionPair(s.tableName, s.clock.now(), 'alice');
    const one = { invalidated_tokens: 1, previously_invalidated_tokens: 0, error_count: 0 };
    await expect(s.invalidation.invalidate({ kind: 'token', token: issued.accessToken })).resolves.toMatchObject({
      found: true,
      response: one,
    });
    await expect(s.tokens.authenticate(issued.accessToken)).rejects.toBeInstanceOf(TokenExpiredError);
    await expect(s.invalidation.invalidate({ kind: 'refresh_token', refreshToken: issued.refreshToken })).resolves.toMatchObject({
      found: true,
      response: one,
    });
    await expect(s.tokens.refresh(issued.refreshToken, CREATOR)).rejects.toMatchObject({
      code: 'invalid_grant',
      description: 'token has been invalidated',
    });
  });

  it('IV-10: a sweep job the previous version left open is resumed and flips its pairs under the plain name', async () => {
    const s = await service();
    const issued = await previousVersionPair(s.tableName, s.clock.now(), 'alice');
    const pairId = decodeToken(issued.accessToken)?.pairId as string;
    const requestedAt = s.clock.now();
    const job = {
      scope: { username: 'alice' },
      requestedAt,
      operation: 'job-of-the-previous-version',
      phase: 'sweep',
      cursors: Array.from({ length: 16 }, (_, shard) => ({ stream: String(shard) })),
    };
    await documents.send(
      new PutCommand({
        TableName: s.tableName,
        Item: { id: `#sweep#${job.operation}`, job, status: 'running', owner: 'gone', leaseUntil: 0, watermarked: true },
      }),
    );
    await documents.send(
      new UpdateCommand({
        TableName: s.tableName,
        Key: { id: '#sweeps' },
        UpdateExpression: 'ADD #open :job',
        ExpressionAttributeNames: { '#open': 'open' },
        ExpressionAttributeValues: { ':job': new Set([job.operation]) },
      }),
    );
    await s.sweeps.continuation.resumeOrphans();
    await s.sweeps.continuation.idle();
    const { Item } = await documents.send(new GetCommand({ TableName: s.tableName, Key: { id: pairId } }));
    expect(Item).toMatchObject({ accessInvalidated: true, refreshInvalidated: true });
    await expect(s.sweeps.sweeps.orphans(true)).resolves.toEqual([]);
  });
});
