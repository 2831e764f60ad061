import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { createAuditDirectory } from './secrets-audit';

/**
 * One DynamoDB Local (Amazon's engine, not a mock) for the whole run. Each test file creates its own
 * uniquely named tables in it, so the files can run in parallel workers. The secrets audit's directory
 * is created here too; the global teardown reads it.
 */
export default async function globalSetup(): Promise<void> {
  const dynamodb = await startDynamoDbLocal();
  process.env.TEST_DYNAMODB_ENDPOINT = dynamodb.endpoint;
  (globalThis as { __dynamodbLocal?: typeof dynamodb }).__dynamodbLocal = dynamodb;
  createAuditDirectory();
}
