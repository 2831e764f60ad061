import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { traced } from '../telemetry/tracer';

export interface DynamoDbSettings {
  readonly region: string;
  /** DynamoDB Local or `sam local`: any credentials are accepted there, so placeholders are used if none are set. */
  readonly endpoint?: string;
}

/**
 * Bounded waits on storage. Without timeouts the SDK waits for a DynamoDB that stopped answering as long as
 * the socket lives, and API Gateway gives up first (29 s, a bare 504). With them one call ends after at most
 * `MAX_ATTEMPTS` attempts of `REQUEST_TIMEOUT_MS` each plus the standard retry backoff (under 0.5 s for two
 * retries), about 5 s, and the request is answered 503 in Elasticsearch's shape (ER-11) with Retry-After.
 * DynamoDB answers in milliseconds; 1.5 s of silence on one attempt is an outage, not a slow item.
 */
export const DYNAMODB_TIMEOUTS = {
  /** TCP (and TLS) connection set-up. */
  CONNECTION_TIMEOUT_MS: 1_000,
  /** Silence on an established connection, per attempt. */
  REQUEST_TIMEOUT_MS: 1_500,
  /** The first attempt and two retries (throttling, 5xx, timeouts), with the SDK's standard backoff and jitter. */
  MAX_ATTEMPTS: 3,
} as const;

/**
 * What docs/operations.md promises: every API answers within this when DynamoDB stops answering. One call
 * fails in about 5 s; a realm-wide invalidation, whose sweep retries a failed page itself, in about 9 s.
 *
 * The service's own retries (functions/retry.ts) come on top of a call's bound:
 *
 *   policy                      attempts  pauses at most  retries                              a failure that is
 *   BATCH_GET_RETRY             4         0.7 s           keys left unprocessed (throttling)   an answer
 *   TRANSACTION_CONFLICT_RETRY  9         2.4 s           a refresh's transaction conflict     an answer
 *   WATERMARK_RETRY             5         0.75 s          throttling, faults, timeouts         any
 *   SWEEP_RETRY                 5         0.75 s          throttling, faults, timeouts         any
 *
 * The first two retry only what DynamoDB answered, in milliseconds: an outage ends them at their first
 * call, within one call's bound. The last two retry a call that timed out too, so an outage costs them up
 * to every attempt's bound, about 20 s, past this bound; the SDK's retry quota, shared by the client's
 * calls, shortens it when many fail together. Measured against a stopped DynamoDB Local: a watermark write
 * (4 items) gave up after 20 s, a sweep's first pages (16 shards) after 10 s. The frozen-storage test meets
 * neither: a realm-wide invalidation's job record, written before both, fails first; an outage that begins
 * between the record and the watermark is answered in about 20 s. test/unit/retry.test.ts holds the figures.
 */
export const STORAGE_ANSWER_BOUND_MS = 15_000;

export function createDynamoDbClient({ region, endpoint }: DynamoDbSettings): DynamoDBClient {
  const localCredentials =
    endpoint !== undefined && process.env.AWS_ACCESS_KEY_ID === undefined
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {};
  const client = new DynamoDBClient({
    region,
    ...(endpoint !== undefined && { endpoint }),
    ...localCredentials,
    maxAttempts: DYNAMODB_TIMEOUTS.MAX_ATTEMPTS,
    retryMode: 'standard',
    requestHandler: {
      connectionTimeout: DYNAMODB_TIMEOUTS.CONNECTION_TIMEOUT_MS,
      requestTimeout: DYNAMODB_TIMEOUTS.REQUEST_TIMEOUT_MS,
      // Without it the SDK only warns when the timeout passes, and goes on waiting.
      throwOnRequestTimeout: true,
    },
  });
  return traced(client);
}

export function createDocumentClient(settings: DynamoDbSettings): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoDbClient(settings), { marshallOptions: { removeUndefinedValues: true } });
}
