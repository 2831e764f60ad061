import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoDbSettings {
  readonly region: string;
  /** DynamoDB Local or `sam local`: any credentials are accepted there, so placeholders are used if none are set. */
  readonly endpoint?: string;
}

export function createDynamoDbClient({ region, endpoint }: DynamoDbSettings): DynamoDBClient {
  const localCredentials =
    endpoint !== undefined && process.env.AWS_ACCESS_KEY_ID === undefined
      ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {};
  return new DynamoDBClient({ region, ...(endpoint !== undefined && { endpoint }), ...localCredentials });
}

export function createDocumentClient(settings: DynamoDbSettings): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoDbClient(settings), { marshallOptions: { removeUndefinedValues: true } });
}
