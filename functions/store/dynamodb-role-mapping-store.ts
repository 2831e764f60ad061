import { fromStoredForm, type RoleMapping, storedForm } from '../security/authz/role-mapping/mapping';
import type { RoleMappingStore } from '../security/authz/role-mapping/store';
import { type KeyedTable, keyedTable, type TableClient } from './keyed-table';
import { ROLE_MAPPINGS_TABLE } from './tables';

/**
 * The stored form of a role mapping (key name as declared in tables.ts). This file is the only one that
 * knows it. The mapping is kept as the JSON Elasticsearch shows for it, so rules and metadata of any shape
 * stay storable and read back in the order sent.
 */
interface RoleMappingItem {
  name: string;
  mapping: string;
}

export type DynamoDbRoleMappingStoreOptions = TableClient;

export class DynamoDbRoleMappingStore implements RoleMappingStore {
  private readonly table: KeyedTable;

  constructor(tableClient: DynamoDbRoleMappingStoreOptions) {
    this.table = keyedTable(ROLE_MAPPINGS_TABLE, 'role_mapping', tableClient);
  }

  async getMany(names: readonly string[]): Promise<RoleMapping[]> {
    return (await this.table.getMany('read role mappings', names)).map(toMapping);
  }

  async list(): Promise<RoleMapping[]> {
    return (await this.table.scan('list role mappings')).map(toMapping);
  }

  put(mapping: RoleMapping): Promise<boolean> {
    const item: RoleMappingItem = { name: mapping.name, mapping: storedForm(mapping) };
    return this.table.put('write role mapping', { ...item });
  }

  delete(name: string): Promise<boolean> {
    return this.table.delete('delete role mapping', name);
  }
}

function toMapping(item: Record<string, unknown>): RoleMapping {
  const { name, mapping } = item as unknown as RoleMappingItem;
  return fromStoredForm(name, mapping);
}
