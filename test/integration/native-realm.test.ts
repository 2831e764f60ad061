import { NativeRealm } from '../../functions/security/authc/native/native-realm';
import { BCRYPT_COST, hashPassword } from '../../functions/security/authc/passwords/bcrypt';
import { verifyPassword } from '../../functions/security/authc/passwords/password-hashes';
import { VerifiedPasswordCache } from '../../functions/security/authc/passwords/verified-passwords';
import { DynamoDbUserStore } from '../../functions/store/dynamodb-user-store';
import { createUsersTable, testClients } from '../support/dynamodb';
import { testUser } from '../support/test-users';

const { client, documents } = testClients();
let tableName: string;
let store: DynamoDbUserStore;
const bcryptCalls = { count: 0 };
let realm: NativeRealm;

beforeAll(async () => {
  tableName = await createUsersTable(client);
  store = new DynamoDbUserStore({ client: documents, tableName });
  const counted = async (password: string, hash: string) => {
    bcryptCalls.count++;
    return verifyPassword(password, hash);
  };
  realm = new NativeRealm(store, new VerifiedPasswordCache(counted));
});

async function addUser(username: string, password: string, enabled = true) {
  await store.put({
    ...testUser(username, { roles: ['native_role'], full_name: 'Native User', metadata: { team: 'x' }, enabled }),
    // The default cost: a failure then stands for the dummy check ('failed'), as for users the API creates.
    passwordHash: await hashPassword(password, BCRYPT_COST),
  });
}

describe('the native realm (default_native) over DynamoDB Local', () => {
  it('authenticates a stored user as default_native/native with its roles and details', async () => {
    await addUser('alice', 'alice-password');
    expect(await realm.authenticate('alice', 'alice-password')).toEqual({
      username: 'alice',
      roles: ['native_role'],
      full_name: 'Native User',
      email: null,
      metadata: { team: 'x' },
      enabled: true,
      authentication_realm: { name: 'default_native', type: 'native' },
      lookup_realm: { name: 'default_native', type: 'native' },
      authentication_type: 'realm',
    });
  });

  it('refuses a wrong password and an unknown user', async () => {
    await addUser('bob', 'bob-password');
    expect(await realm.authenticate('bob', 'not-bobs-password')).toBe('failed');
    expect(await realm.authenticate('nobody', 'whatever-password')).toBeUndefined();
  });

  it('a disabled user cannot authenticate, even with the right password', async () => {
    await addUser('carol', 'carol-password', false);
    expect(await realm.authenticate('carol', 'carol-password')).toBeUndefined();
  });

  it('a user disabled after a cached success is refused on the next attempt', async () => {
    await addUser('dave', 'dave-password');
    expect(await realm.authenticate('dave', 'dave-password')).toBeDefined();
    await store.setEnabled('dave', false);
    expect(await realm.authenticate('dave', 'dave-password')).toBeUndefined();
  });

  it("a deleted user's credentials stop working at once, though the success was cached", async () => {
    await addUser('erin', 'erin-password');
    expect(await realm.authenticate('erin', 'erin-password')).toBeDefined();
    await store.delete('erin');
    expect(await realm.authenticate('erin', 'erin-password')).toBeUndefined();
  });

  it('a warm instance pays bcrypt once for repeated authentications, and a password change takes effect at once', async () => {
    await addUser('frank', 'old-password');
    const before = bcryptCalls.count;
    for (let i = 0; i < 3; i++) expect(await realm.authenticate('frank', 'old-password')).toMatchObject({ username: 'frank' });
    expect(bcryptCalls.count - before).toBe(1);
    await store.setPassword('frank', await hashPassword('new-password', BCRYPT_COST));
    expect(await realm.authenticate('frank', 'old-password')).toBe('failed');
    expect(await realm.authenticate('frank', 'new-password')).toMatchObject({ username: 'frank' });
  });

  it('makes no read for a name the user API could never have created', async () => {
    const missingTable = new NativeRealm(new DynamoDbUserStore({ client: documents, tableName: 'no-such-table' }));
    // A storage error would reject; an invalid name never reaches the storage.
    expect(await missingTable.authenticate('x'.repeat(3000), 'password')).toBeUndefined();
    expect(await missingTable.authenticate(' padded ', 'password')).toBeUndefined();
  });
});
