import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { NativeRole, RoleDescriptor, RoleStore } from '../security/authz/role-store';
import type { ClusterPrivilege } from '../security/authz/roles';
import { type KeyedTable, keyedTable, type TableClient } from './keyed-table';
import { ROLES_TABLE } from './tables';

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

export type DynamoDbRoleStoreOptions = TableClient;

export class DynamoDbRoleStore implements RoleStore {
  private readonly table: KeyedTable;

  constructor(tableClient: DynamoDbRoleStoreOptions) {
    this.table = keyedTable(ROLES_TABLE, 'role', tableClient);
  }

  async get(name: string): Promise<NativeRole | undefined> {
    const item = await this.table.get('read role', name);
    return item === undefined ? undefined : toRole(item);
  }

  async list(maxItems?: number): Promise<NativeRole[]> {
    return (await this.table.scan('list roles', undefined, maxItems)).map(toRole);
  }

  async getMany(names: readonly string[]): Promise<NativeRole[]> {
    return (await this.table.getMany('read roles', names)).map(toRole);
  }

  /** One consistent BatchGetItem a hundred names (a user rarely has more than a few): a role change applies at once. */
  async clusterPrivileges(names: readonly string[]): Promise<Map<string, readonly ClusterPrivilege[]>> {
    const items = await this.table.getMany('read roles', names, ['name', 'cluster']);
    return new Map(
      (items as unknown as Pick<RoleItem, 'name' | 'cluster'>[]).map((item) => [item.name, [...(item.cluster ?? [])]]),
    );
  }

  put(role: NativeRole): Promise<boolean> {
    return this.table.put('write role', { ...toItem(role) });
  }

  async replace(role: NativeRole): Promise<NativeRole | undefined> {
    const { Attributes } = await this.table.send('write role', (client, TableName) =>
      client.send(new PutCommand({ TableName, Item: toItem(role), ReturnValues: 'ALL_OLD' })),
    );
    return Attributes === undefined ? undefined : toRole(Attributes);
  }

  delete(name: string): Promise<boolean> {
    return this.table.delete('delete role', name);
  }
}

function toItem({ name, descriptor }: NativeRole): RoleItem {
  const { cluster, ...rest } = descriptor;
  return { name, cluster: [...cluster], descriptor: JSON.stringify(rest) };
}

function toRole(stored: Record<string, unknown>): NativeRole {
  const item = stored as unknown as RoleItem;
  const rest = JSON.parse(item.descriptor) as Record<string, unknown>;
  return { name: item.name, descriptor: { cluster: [...(item.cluster ?? [])], ...rest } as RoleDescriptor };
}
