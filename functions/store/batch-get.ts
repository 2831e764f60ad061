import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StorageUnavailableError, type StoreName } from '../errors';
import { guardStorage } from './storage-guard';

/** BatchGetItem's limit of keys a call. */
const BATCH_GET_KEYS = 100;
/** Unprocessed keys (throttling) are asked for again this many times, with a growing pause, before giving up. */
const BATCH_GET_ATTEMPTS = 4;

export interface BatchGet {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** The table's partition key attribute, and the values to read (repeats are read once). */
  readonly keyName: string;
  readonly keys: readonly string[];
  /** For the error a failure becomes (ER-11). */
  readonly store: StoreName;
  readonly operation: string;
  /** Attribute names to read; every attribute when absent. */
  readonly attributes?: readonly string[];
}

/** A projection of these attributes, every name aliased (some, like `name`, are DynamoDB reserved words). */
export function projectionOf(attributes: readonly string[]): {
  ProjectionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
} {
  return {
    ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(attributes.map((name, i) => [`#a${i}`, name])),
  };
}

/**
 * The items of those keys that exist, by strongly consistent BatchGetItem a hundred keys at a time, in no
 * particular order. Many names in one request (GET /_security/user/a,b,c) cost a call per hundred rather
 * than a call per name, so a long list cannot fan out into hundreds of concurrent reads.
 */
export async function batchGetItems(request: BatchGet): Promise<Record<string, unknown>[]> {
  const { client, tableName, keyName, store, operation, attributes } = request;
  // BatchGetItem refuses a request that names a key twice.
  const unique = [...new Set(request.keys)];
  const projection = attributes === undefined ? {} : projectionOf(attributes);
  const items: Record<string, unknown>[] = [];
  for (let start = 0; start < unique.length; start += BATCH_GET_KEYS) {
    let keys: Record<string, unknown>[] = unique.slice(start, start + BATCH_GET_KEYS).map((key) => ({ [keyName]: key }));
    for (let attempt = 1; keys.length > 0; attempt++) {
      if (attempt > BATCH_GET_ATTEMPTS) throw new StorageUnavailableError(store, operation);
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
      const request = { RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true, ...projection } } };
      const answer = await guardStorage(store, operation, () => client.send(new BatchGetCommand(request)));
      items.push(...(answer.Responses?.[tableName] ?? []));
      keys = answer.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return items;
}
