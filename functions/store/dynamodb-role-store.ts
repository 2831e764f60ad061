import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { NativeRole, RoleDescriptor, RoleStore } from '../security/role-store';
import type { ClusterPrivilege } from '../security/roles';
import { batchGetItems } from './batch-get';
import { guardStorage } from './storage-guard';

/**
 * The stored form of a native role (key name as declared in tables.ts). This file is the only one that knows it.
 * `cluster` is an attribute of its own so authorization reads only it; the rest of the descriptor is kept as
 * JSON text (as user metadata is: any JSON a client sends stays storable, in the order sent).
 */
interface RoleItem {
  name: string;
  cluster: string[];
  descriptor: string;
}

export interface DynamoDbRoleStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

export class DynamoDbRoleStore implements RoleStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoDbRoleStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async get(name: string): Promise<NativeRole | undefined> {
    const { Item } = await this.send('read role', () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: { name }, ConsistentRead: true })),
    );
    return Item === undefined ? undefined : toRole(Item as RoleItem);
  }

  async list(): Promise<NativeRole[]> {
    const roles: NativeRole[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.send('list roles', () =>
        this.client.send(new ScanCommand({ TableName: this.tableName, ConsistentRead: true, ExclusiveStartKey })),
      );
      roles.push(...(page.Items ?? []).map((item) => toRole(item as RoleItem)));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return roles;
  }

  async getMany(names: readonly string[]): Promise<NativeRole[]> {
    const items = await batchGetItems({ ...this.batch, keys: names, operation: 'read roles' });
    return items.map((item) => toRole(item as unknown as RoleItem));
  }

  /** One consistent BatchGetItem a hundred names (a user rarely has more than a few): a role change applies at once. */
  async clusterPrivileges(names: readonly string[]): Promise<Map<string, readonly ClusterPrivilege[]>> {
    const items = await batchGetItems({ ...this.batch, keys: names, operation: 'read roles', attributes: ['name', 'cluster'] });
    return new Map(
      (items as unknown as Pick<RoleItem, 'name' | 'cluster'>[]).map((item) => [item.name, [...(item.cluster ?? [])]]),
    );
  }

  private get batch() {
    return { client: this.client, tableName: this.tableName, keyName: 'name', store: 'role' as const };
  }

  async put(role: NativeRole): Promise<boolean> {
    const { Attributes } = await this.send('write role', () =>
      this.client.send(new PutCommand({ TableName: this.tableName, Item: toItem(role), ReturnValues: 'ALL_OLD' })),
    );
    return Attributes === undefined;
  }

  async delete(name: string): Promise<boolean> {
    const { Attributes } = await this.send('delete role', () =>
      this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { name }, ReturnValues: 'ALL_OLD' })),
    );
    return Attributes !== undefined;
  }

  private send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return guardStorage('role', operation, call);
  }
}

function toItem({ name, descriptor }: NativeRole): RoleItem {
  const { cluster, ...rest } = descriptor;
  return { name, cluster: [...cluster], descriptor: JSON.stringify(rest) };
}

function toRole(item: RoleItem): NativeRole {
  const rest = JSON.parse(item.descriptor) as Record<string, unknown>;
  return { name: item.name, descriptor: { cluster: [...(item.cluster ?? [])], ...rest } as RoleDescriptor };
}
