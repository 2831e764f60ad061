import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { TEST_JAVA_OPTIONS } from './dynamodb';
import { startedDynamoDbLocal } from './global-teardown';

/**
 * One DynamoDB Local (Amazon's engine, not a mock) for the whole run, started only when the run selects a
 * tier that uses it (jest.config.js): the unit tier never waits for Java. Each test file creates its own
 * uniquely named tables in it, so the files can run in parallel workers. The global teardown audits its
 * tables, then stops it.
 */
export default async function dynamoDbSetup(): Promise<void> {
  const dynamodb = await startDynamoDbLocal({ javaOptions: TEST_JAVA_OPTIONS });
  process.env.TEST_DYNAMODB_ENDPOINT = dynamodb.endpoint;
  startedDynamoDbLocal(dynamodb);
}
