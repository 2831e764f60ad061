import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { StorageUnavailableError } from '../errors';
import type { User } from '../security/authentication';
import type { NativeUser, UserStore } from '../security/user-store';
import { batchGetItems, projectionOf } from './batch-get';
import { guardStorage } from './storage-guard';

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

export interface DynamoDbUserStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

export class DynamoDbUserStore implements UserStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoDbUserStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async get(username: string): Promise<NativeUser | undefined> {
    const { Item } = await this.send('read user', () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: { username }, ConsistentRead: true })),
    );
    return Item === undefined ? undefined : { ...toUser(Item as UserItem), passwordHash: (Item as UserItem).passwordHash };
  }

  async getMany(usernames: readonly string[]): Promise<User[]> {
    const items = await batchGetItems({
      client: this.client,
      tableName: this.tableName,
      keyName: 'username',
      keys: usernames,
      store: 'user',
      operation: 'read users',
      attributes: PUBLIC_ATTRIBUTES,
    });
    return items.map((item) => toUser(item as unknown as UserItem));
  }

  async list(): Promise<User[]> {
    const users: User[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.send('list users', () =>
        this.client.send(
          new ScanCommand({
            TableName: this.tableName,
            ConsistentRead: true,
            ...projectionOf(PUBLIC_ATTRIBUTES),
            ExclusiveStartKey,
          }),
        ),
      );
      users.push(...(page.Items ?? []).map((item) => toUser(item as UserItem)));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return users;
  }

  async put(user: NativeUser): Promise<boolean> {
    const { Attributes } = await this.send('write user', () =>
      this.client.send(new PutCommand({ TableName: this.tableName, Item: toItem(user), ReturnValues: 'ALL_OLD' })),
    );
    return Attributes === undefined;
  }

  async create(user: NativeUser): Promise<boolean> {
    return this.conditionally('create user', () =>
      this.client.send(new PutCommand({ TableName: this.tableName, Item: toItem(user), ConditionExpression: usernameIsFree })),
    );
  }

  async update(user: User): Promise<boolean> {
    const { username, ...fields } = profileOf(user);
    const set = Object.keys(fields);
    const remove = (['fullName', 'email'] as const).filter((name) => fields[name] === undefined);
    return this.conditionally('update user', () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { username },
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

  async delete(username: string): Promise<boolean> {
    const { Attributes } = await this.send('delete user', () =>
      this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { username }, ReturnValues: 'ALL_OLD' })),
    );
    return Attributes !== undefined;
  }

  private setAttribute(operation: string, username: string, name: keyof UserItem, value: unknown): Promise<boolean> {
    return this.conditionally(operation, () =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { username },
          UpdateExpression: 'SET #value = :value',
          ConditionExpression: userExists,
          ExpressionAttributeNames: { '#value': name },
          ExpressionAttributeValues: { ':value': value },
        }),
      ),
    );
  }

  /** True when the write's condition held, false when it did not (no such user, or the name was taken). */
  private async conditionally(operation: string, call: () => Promise<unknown>): Promise<boolean> {
    try {
      await call();
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw new StorageUnavailableError('user', operation, { cause: error });
    }
  }

  private send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return guardStorage('user', operation, call);
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
