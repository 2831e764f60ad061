import bcrypt from 'bcryptjs';
import { BCRYPT_COST, usePasswordHashing } from '../../functions/security/authc/passwords/bcrypt';
import { UNKNOWN_USER_HASH } from '../../functions/security/authc/realm';
import { DynamoDbUserStore } from '../../functions/store/dynamodb-user-store';
import { testClients } from '../support/dynamodb';
import { USERS } from '../support/file-realm';
import { esError, putNativeUser } from '../support/native-users';
import { call, startTestApi, type TestApi } from '../support/test-api';

/*
 * What a password check costs is asserted by the work done, never by the clock: every bcrypt comparison the
 * service makes goes through a counting hasher (the process-wide PasswordHashing, in this thread).
 */
let api: TestApi;
const compared: string[] = [];

beforeAll(async () => {
  api = await startTestApi();
  usePasswordHashing({
    compare: (password, hash) => {
      compared.push(hash);
      return bcrypt.compare(password, hash);
    },
    hash: bcrypt.hash,
  });
});
afterAll(() => api.close());
beforeEach(() => {
  compared.length = 0;
});

/** A well-formed bcrypt hash but for its cost: what a caller could send, and the previous version stored. */
const withCost = (prefix: string, cost: string) => `${prefix}${cost}$${'N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy'}`;

describe('bcrypt cost without a bound: costs outside 4 to 14 are not hashes', () => {
  it("change password and put user refuse them in Hasher's own words (unknown hash function), storing nothing", async () => {
    const owner = { username: 'cost_owner', password: 'cost-owner-password' };
    await putNativeUser(api, owner);
    const own = await call(api, 'POST', '/_security/user/cost_owner/_password', {
      auth: owner,
      body: { password_hash: withCost('$2a$', '31') },
    });
    expect(own.status).toBe(400);
    expect(own.body).toEqual(esError('illegal_argument_exception', 'unknown hash function [bcrypt31]', 400));
    for (const [hash, name] of [
      [withCost('$2b$', '15'), 'bcrypt15'],
      [withCost('$2y$', '03'), 'bcrypt3'],
    ]) {
      const put = await call(api, 'PUT', '/_security/user/cost_other', {
        auth: USERS.elastic,
        body: { password_hash: hash, roles: [] },
      });
      expect(put.body).toEqual(esError('illegal_argument_exception', `unknown hash function [${name}]`, 400));
    }
    expect((await call(api, 'GET', '/_security/_authenticate', { auth: owner })).status).toBe(200);
    expect((await call(api, 'GET', '/_security/user/cost_other', { auth: USERS.elastic })).status).toBe(404);
  });

  it('a stored hash of cost 31 is refused at login before any hashing: Basic and the password grant pay only the dummy check', async () => {
    await putNativeUser(api, { username: 'cost_stored', password: 'cost-stored-password' });
    const store = new DynamoDbUserStore({ client: testClients().documents, tableName: api.usersTable });
    await store.setPassword('cost_stored', withCost('$2a$', '31'));
    compared.length = 0;
    const basic = await call(api, 'GET', '/_security/_authenticate', {
      auth: { username: 'cost_stored', password: 'guess-one' },
    });
    expect(basic.status).toBe(401);
    const grant = await call(api, 'POST', '/_security/oauth2/token', {
      auth: USERS.elastic,
      body: { grant_type: 'password', username: 'cost_stored', password: 'guess-two' },
    });
    expect(grant.status).toBe(401);
    // The cost-31 hash was never handed to bcrypt; each attempt cost one check at the dummy's cost, as an unknown name does.
    expect(compared.filter((hash) => hash.startsWith('$2a$31$'))).toEqual([]);
    expect(compared.filter((hash) => hash === UNKNOWN_USER_HASH)).toHaveLength(2);
  });
});

describe("elastic's password is checked with bcrypt, as every other password", () => {
  it('a wrong password for elastic costs one bcrypt check at the default cost; a right one is remembered by the instance', async () => {
    const wrong = await call(api, 'GET', '/_security/_authenticate', {
      auth: { username: 'elastic', password: 'not-the-password' },
    });
    expect(wrong.status).toBe(401);
    expect(compared).toHaveLength(1);
    expect(compared[0]?.slice(0, 7)).toBe(`$2b$${BCRYPT_COST}$`);
    expect(compared[0]).not.toBe(UNKNOWN_USER_HASH);

    const elasticHash = compared[0];

    // Successes are remembered (one check at most, the first); every failure pays bcrypt again.
    compared.length = 0;
    for (let i = 0; i < 3; i++)
      expect((await call(api, 'GET', '/_security/_authenticate', { auth: USERS.elastic })).status).toBe(200);
    expect(compared.length).toBeLessThanOrEqual(1);
    compared.length = 0;
    const again = await call(api, 'GET', '/_security/_authenticate', {
      auth: { username: 'elastic', password: 'another-guess' },
    });
    expect(again.status).toBe(401);
    expect(compared).toEqual([elasticHash]);
  });
});
