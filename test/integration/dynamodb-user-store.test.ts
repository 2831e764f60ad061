import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { StorageUnavailableError } from '../../functions/errors';
import type { NativeUser } from '../../functions/security/authc/native/user-store';
import { DynamoDbUserStore } from '../../functions/store/dynamodb-user-store';
import { createUsersTable, testClients } from '../support/dynamodb';

const { client, documents } = testClients();
let tableName: string;
let store: DynamoDbUserStore;

beforeAll(async () => {
  tableName = await createUsersTable(client);
  store = new DynamoDbUserStore({ client: documents, tableName });
});

let sequence = 0;
function aUser(overrides: Partial<NativeUser> = {}): NativeUser {
  sequence++;
  return {
    username: `user-${sequence}`,
    roles: ['r1', 'r2'],
    full_name: 'A User',
    email: 'user@example.com',
    metadata: { team: 'x', nested: { deep: [1, 2] } },
    enabled: true,
    passwordHash: '$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy',
    ...overrides,
  };
}

describe('DynamoDB user store (DynamoDB Local)', () => {
  it('declares the users table of DESIGN §4: the username is the key', async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'username', KeyType: 'HASH' }]);
  });

  it('reads back exactly the user it stored, AU-3 key order included', async () => {
    const user = aUser();
    expect(await store.put(user)).toBe(true);
    const read = await store.get(user.username);
    expect(read).toEqual(user);
    expect(Object.keys(read ?? {})).toEqual(['username', 'roles', 'full_name', 'email', 'metadata', 'enabled', 'passwordHash']);
  });

  it('keeps null full_name and email as null, and any JSON metadata (even what a DynamoDB map refuses)', async () => {
    const user = aUser({
      full_name: null,
      email: null,
      metadata: { huge: 1e300, deep: JSON.parse(`${'['.repeat(40)}${']'.repeat(40)}`) },
    });
    await store.put(user);
    expect(await store.get(user.username)).toEqual(user);
  });

  it('put answers whether the user is new, and replaces the whole user', async () => {
    const user = aUser();
    expect(await store.put(user)).toBe(true);
    expect(await store.put({ ...user, roles: [], full_name: null })).toBe(false);
    expect(await store.get(user.username)).toMatchObject({ roles: [], full_name: null });
  });

  it('create never overwrites an existing user', async () => {
    const user = aUser();
    expect(await store.create(user)).toBe(true);
    expect(await store.create({ ...user, passwordHash: 'other' })).toBe(false);
    expect((await store.get(user.username))?.passwordHash).toBe(user.passwordHash);
  });

  it('update replaces everything but the password hash, and only of an existing user', async () => {
    const user = aUser();
    await store.put(user);
    const { passwordHash: _, ...fields } = user;
    expect(await store.update({ ...fields, roles: ['other'], full_name: null, email: null, metadata: {}, enabled: false })).toBe(
      true,
    );
    expect(await store.get(user.username)).toEqual({
      ...user,
      roles: ['other'],
      full_name: null,
      email: null,
      metadata: {},
      enabled: false,
    });
    expect(await store.update({ ...fields, username: 'nobody-here' })).toBe(false);
    expect(await store.get('nobody-here')).toBeUndefined();
  });

  it('setPassword and setEnabled change one attribute of an existing user only', async () => {
    const user = aUser();
    await store.put(user);
    expect(await store.setPassword(user.username, 'new-hash')).toBe(true);
    expect(await store.setEnabled(user.username, false)).toBe(true);
    expect(await store.get(user.username)).toEqual({ ...user, passwordHash: 'new-hash', enabled: false });
    expect(await store.setPassword('nobody-here', 'x')).toBe(false);
    expect(await store.setEnabled('nobody-here', true)).toBe(false);
    expect(await store.get('nobody-here')).toBeUndefined();
  });

  it('delete answers whether the user existed', async () => {
    const user = aUser();
    await store.put(user);
    expect(await store.delete(user.username)).toBe(true);
    expect(await store.delete(user.username)).toBe(false);
    expect(await store.get(user.username)).toBeUndefined();
  });

  it('lists every user without its password hash, across scan pages', async () => {
    const listTable = await createUsersTable(client);
    const listStore = new DynamoDbUserStore({ client: documents, tableName: listTable });
    // ~40 KB each: the scan needs several 1 MB pages.
    const padding = { padding: 'x'.repeat(40_000) };
    const users = Array.from({ length: 60 }, (_, i) => aUser({ username: `listed-${i}`, metadata: padding }));
    await Promise.all(users.map((user) => listStore.put(user)));
    const listed = await listStore.list();
    expect(listed).toHaveLength(60);
    expect(listed.every((user) => !('passwordHash' in user))).toBe(true);
    expect(JSON.stringify(listed)).not.toContain('$2a$');
  });

  it('reads many users in batches, beyond 100 names, without their password hashes', async () => {
    const users = Array.from({ length: 120 }, (_, i) => aUser({ username: `batched-${i}` }));
    await Promise.all(users.map((user) => store.put(user)));
    const read = await store.getMany([...users.map((user) => user.username), 'batched-0', 'never-created']);
    expect(read).toHaveLength(120);
    expect(new Set(read.map((user) => user.username))).toEqual(new Set(users.map((user) => user.username)));
    expect(read.every((user) => !('passwordHash' in user))).toBe(true);
    expect(JSON.stringify(read)).not.toContain('$2');
  });

  it('stores the bcrypt hash and never a password attribute', async () => {
    const user = aUser();
    await store.put(user);
    const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: { username: user.username } }));
    expect(Object.keys(Item ?? {}).sort()).toEqual([
      'email',
      'enabled',
      'fullName',
      'metadata',
      'passwordHash',
      'roles',
      'username',
    ]);
  });

  it('ER-11: a storage failure surfaces as StorageUnavailableError', async () => {
    const missing = new DynamoDbUserStore({ client: documents, tableName: 'no-such-table' });
    await expect(missing.get('alice')).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(missing.setEnabled('alice', true)).rejects.toBeInstanceOf(StorageUnavailableError);
  });
});
