import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';

/**
 * One DynamoDB Local (Amazon's engine, not a mock) for the whole run. Each test file creates its own
 * uniquely named tables in it, so the files can run in parallel workers.
 */
export default async function globalSetup(): Promise<void> {
  const dynamodb = await startDynamoDbLocal();
  process.env.TEST_DYNAMODB_ENDPOINT = dynamodb.endpoint;
  (globalThis as { __dynamodbLocal?: typeof dynamodb }).__dynamodbLocal = dynamodb;
}
