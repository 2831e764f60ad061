import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { fromStoredForm, type RoleMapping, storedForm } from '../security/role-mapping/mapping';
import type { RoleMappingStore } from '../security/role-mapping/store';
import { batchGetItems } from './batch-get';
import { guardStorage } from './storage-guard';

/**
 * The stored form of a role mapping (key name as declared in tables.ts). This file is the only one that
 * knows it. The mapping is kept as the JSON Elasticsearch shows for it, so rules and metadata of any shape
 * stay storable and read back in the order sent.
 */
interface RoleMappingItem {
  name: string;
  mapping: string;
}

export interface DynamoDbRoleMappingStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

export class DynamoDbRoleMappingStore implements RoleMappingStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoDbRoleMappingStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async getMany(names: readonly string[]): Promise<RoleMapping[]> {
    const items = await batchGetItems({
      client: this.client,
      tableName: this.tableName,
      keyName: 'name',
      store: 'role_mapping',
      keys: names,
      operation: 'read role mappings',
    });
    return items.map((item) => toMapping(item as unknown as RoleMappingItem));
  }

  async list(): Promise<RoleMapping[]> {
    const mappings: RoleMapping[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.send('list role mappings', () =>
        this.client.send(new ScanCommand({ TableName: this.tableName, ConsistentRead: true, ExclusiveStartKey })),
      );
      mappings.push(...(page.Items ?? []).map((item) => toMapping(item as RoleMappingItem)));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return mappings;
  }

  async put(mapping: RoleMapping): Promise<boolean> {
    const Item: RoleMappingItem = { name: mapping.name, mapping: storedForm(mapping) };
    const { Attributes } = await this.send('write role mapping', () =>
      this.client.send(new PutCommand({ TableName: this.tableName, Item, ReturnValues: 'ALL_OLD' })),
    );
    return Attributes === undefined;
  }

  async delete(name: string): Promise<boolean> {
    const { Attributes } = await this.send('delete role mapping', () =>
      this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { name }, ReturnValues: 'ALL_OLD' })),
    );
    return Attributes !== undefined;
  }

  private send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return guardStorage('role_mapping', operation, call);
  }
}

function toMapping(item: RoleMappingItem): RoleMapping {
  return fromStoredForm(item.name, item.mapping);
}
