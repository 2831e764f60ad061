import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StorageUnavailableError, type StoreName } from '../errors';
import { type RetryPolicy, retry } from '../retry';
import { guardStorage } from './storage-guard';

/** BatchGetItem's limit of keys a call. */
const BATCH_GET_KEYS = 100;

/**
 * Throttling leaves some keys unprocessed rather than failing the call: those are asked for again, after
 * 100, 200 and 400 ms, before the read gives up (a call that fails is not retried here: the SDK has).
 */
export const BATCH_GET_RETRY: RetryPolicy = { attempts: 4, firstPauseMs: 100, jitter: 'none' };

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
    // Keys left unprocessed fail the attempt with this error, the one retried and, once the retries are spent, thrown.
    let unprocessed: StorageUnavailableError | undefined;
    const readKeys = async () => {
      const request = { RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true, ...projection } } };
      const answer = await guardStorage(store, operation, () => client.send(new BatchGetCommand(request)));
      items.push(...(answer.Responses?.[tableName] ?? []));
      keys = answer.UnprocessedKeys?.[tableName]?.Keys ?? [];
      if (keys.length === 0) return;
      unprocessed = new StorageUnavailableError(store, operation);
      throw unprocessed;
    };
    await retry(BATCH_GET_RETRY, readKeys, { retryIf: (error) => error === unprocessed });
  }
  return items;
}
