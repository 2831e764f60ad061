import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { User } from '../security/authc/authentication';
import type { NativeUser, UserStore } from '../security/authc/native/user-store';
import { type KeyedTable, keyedTable, type TableClient } from './keyed-table';
import { USERS_TABLE } from './tables';

/**
 * The stored form of a native user (key name as declared in tables.ts). This file is the only one that knows it.
 *
 * `metadata` is kept as JSON text, not as a DynamoDB map: any JSON an Elasticsearch client sends must be
 * storable, and a map refuses some (numbers beyond DynamoDB's range such as 1e200, nesting deeper than 32),
 * which would turn a valid request into a storage error. Text also keeps the keys in the order sent.
 */
interface UserItem {
  username: string;
  passwordHash: string;
  roles: string[];
  fullName?: string;
  email?: string;
  metadata: string;
  enabled: boolean;
}

/** Attributes a user is shown with: everything but the password hash. */
const PUBLIC_ATTRIBUTES = ['username', 'roles', 'fullName', 'email', 'metadata', 'enabled'];

const userExists = 'attribute_exists(username)';
const usernameIsFree = 'attribute_not_exists(username)';

export type DynamoDbUserStoreOptions = TableClient;

export class DynamoDbUserStore implements UserStore {
  private readonly table: KeyedTable;

  constructor(tableClient: DynamoDbUserStoreOptions) {
    this.table = keyedTable(USERS_TABLE, 'user', tableClient);
  }

  async get(username: string): Promise<NativeUser | undefined> {
    const item = (await this.table.get('read user', username)) as UserItem | undefined;
    return item === undefined ? undefined : { ...toUser(item), passwordHash: item.passwordHash };
  }

  async getMany(usernames: readonly string[]): Promise<User[]> {
    const items = await this.table.getMany('read users', usernames, PUBLIC_ATTRIBUTES);
    return items.map((item) => toUser(item as unknown as UserItem));
  }

  async list(maxItems?: number): Promise<User[]> {
    const items = await this.table.scan('list users', PUBLIC_ATTRIBUTES, maxItems);
    return items.map((item) => toUser(item as unknown as UserItem));
  }

  put(user: NativeUser): Promise<boolean> {
    return this.table.put('write user', { ...toItem(user) });
  }

  async create(user: NativeUser): Promise<boolean> {
    return this.conditionally('create user', (client, TableName) =>
      client.send(new PutCommand({ TableName, Item: toItem(user), ConditionExpression: usernameIsFree })),
    );
  }

  async update(user: User): Promise<boolean> {
    const { username, ...fields } = profileOf(user);
    const set = Object.keys(fields);
    const remove = (['fullName', 'email'] as const).filter((name) => fields[name] === undefined);
    return this.conditionally('update user', (client, TableName) =>
      client.send(
        new UpdateCommand({
          TableName,
          Key: this.table.key(username),
          UpdateExpression: [
            `SET ${set.map((name) => `#${name} = :${name}`).join(', ')}`,
            ...(remove.length > 0 ? [`REMOVE ${remove.map((name) => `#${name}`).join(', ')}`] : []),
          ].join(' '),
          ConditionExpression: userExists,
          ExpressionAttributeNames: Object.fromEntries([...set, ...remove].map((name) => [`#${name}`, name])),
          ExpressionAttributeValues: Object.fromEntries(set.map((name) => [`:${name}`, fields[name as keyof typeof fields]])),
        }),
      ),
    );
  }

  async setPassword(username: string, passwordHash: string): Promise<boolean> {
    return this.setAttribute('change password', username, 'passwordHash', passwordHash);
  }

  async setEnabled(username: string, enabled: boolean): Promise<boolean> {
    return this.setAttribute('set user enabled', username, 'enabled', enabled);
  }

  delete(username: string): Promise<boolean> {
    return this.table.delete('delete user', username);
  }

  private setAttribute(operation: string, username: string, name: keyof UserItem, value: unknown): Promise<boolean> {
    return this.conditionally(operation, (client, TableName) =>
      client.send(
        new UpdateCommand({
          TableName,
          Key: this.table.key(username),
          UpdateExpression: 'SET #value = :value',
          ConditionExpression: userExists,
          ExpressionAttributeNames: { '#value': name },
          ExpressionAttributeValues: { ':value': value },
        }),
      ),
    );
  }

  /** True when the write's condition held, false when it did not (no such user, or the name was taken). */
  private async conditionally(
    operation: string,
    call: (client: DynamoDBDocumentClient, tableName: string) => Promise<unknown>,
  ): Promise<boolean> {
    try {
      await this.table.send(operation, call);
      return true;
    } catch (error) {
      // The guard kept DynamoDB's error as the cause: a failed condition is an answer, not an outage.
      if (
        (error as Error).cause instanceof Error &&
        ((error as Error).cause as Error).name === 'ConditionalCheckFailedException'
      ) {
        return false;
      }
      throw error;
    }
  }
}

/** Everything of the item but the password hash; a null full name or email is no attribute at all. */
function profileOf(user: User): Omit<UserItem, 'passwordHash'> {
  return {
    username: user.username,
    roles: [...user.roles],
    ...(user.full_name !== null && { fullName: user.full_name }),
    ...(user.email !== null && { email: user.email }),
    metadata: JSON.stringify(user.metadata),
    enabled: user.enabled,
  };
}

function toItem({ passwordHash, ...user }: NativeUser): UserItem {
  return { ...profileOf(user), passwordHash };
}

/** AU-3's key order, restored from the item. */
function toUser(item: Omit<UserItem, 'passwordHash'>): User {
  return {
    username: item.username,
    roles: [...(item.roles ?? [])],
    full_name: item.fullName ?? null,
    email: item.email ?? null,
    metadata: item.metadata === undefined ? {} : (JSON.parse(item.metadata) as Record<string, unknown>),
    enabled: item.enabled,
  };
}
