import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreName } from '../errors';
import { batchGetItems, projectionOf } from './batch-get';
import { guardStorage } from './storage-guard';
import type { TableDefinition } from './tables';

/** Where a store's table is: what each DynamoDB store is constructed with. */
export interface TableClient {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

export interface KeyedTableOptions extends TableClient {
  /** The table's partition key, as declared in tables.ts. */
  readonly keyName: string;
  /** For the error a failure becomes (ER-11). */
  readonly store: StoreName;
}

type Item = Record<string, unknown>;

/** The keyed table of a definition (tables.ts), at `tableClient`. */
export function keyedTable(definition: TableDefinition, store: StoreName, tableClient: TableClient): KeyedTable {
  return new KeyedTable({ ...tableClient, keyName: definition.partitionKey.name, store });
}

/**
 * The reads and writes the user, role and role-mapping stores share, on a table keyed by one string: each
 * strongly consistent (a change applies at once), each failure the storage guard's 503. The stores map
 * their items; this knows only the key.
 */
export class KeyedTable {
  constructor(private readonly options: KeyedTableOptions) {}

  send<T>(operation: string, call: (client: DynamoDBDocumentClient, tableName: string) => Promise<T>): Promise<T> {
    return guardStorage(this.options.store, operation, () => call(this.options.client, this.options.tableName));
  }

  key(value: string): Item {
    return { [this.options.keyName]: value };
  }

  async get(operation: string, key: string): Promise<Item | undefined> {
    const { Item } = await this.send(operation, (client, TableName) =>
      client.send(new GetCommand({ TableName, Key: this.key(key), ConsistentRead: true })),
    );
    return Item;
  }

  /** The items of those keys that exist, in no particular order (batch-get.ts). */
  getMany(operation: string, keys: readonly string[], attributes?: readonly string[]): Promise<Item[]> {
    const { client, tableName, keyName, store } = this.options;
    return batchGetItems({ client, tableName, keyName, keys, store, operation, ...(attributes && { attributes }) });
  }

  /** Every item, page by page; with `maxItems`, stops once it has read more than that many (bounding the cost). */
  async scan(operation: string, attributes?: readonly string[], maxItems = Number.POSITIVE_INFINITY): Promise<Item[]> {
    const items: Item[] = [];
    let ExclusiveStartKey: Item | undefined;
    do {
      const page = await this.send(operation, (client, TableName) =>
        client.send(
          new ScanCommand({
            TableName,
            ConsistentRead: true,
            ...(attributes && projectionOf(attributes)),
            ...(Number.isFinite(maxItems) && { Limit: maxItems + 1 - items.length }),
            ExclusiveStartKey,
          }),
        ),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey && items.length <= maxItems);
    return items;
  }

  /** Writes the item whether or not it exists; true when it did not (Elasticsearch's `created`). */
  async put(operation: string, item: Item): Promise<boolean> {
    const { Attributes } = await this.send(operation, (client, TableName) =>
      client.send(new PutCommand({ TableName, Item: item, ReturnValues: 'ALL_OLD' })),
    );
    return Attributes === undefined;
  }

  /** True when there was an item to delete (Elasticsearch's `found`). */
  async delete(operation: string, key: string): Promise<boolean> {
    const { Attributes } = await this.send(operation, (client, TableName) =>
      client.send(new DeleteCommand({ TableName, Key: this.key(key), ReturnValues: 'ALL_OLD' })),
    );
    return Attributes !== undefined;
  }
}
