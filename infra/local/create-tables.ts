/**
 * Creates the service's tables (from their shared definitions) in the DynamoDB at DYNAMODB_ENDPOINT,
 * under the names the functions use without a stack: the setup step of `sam local start-api`.
 *   DYNAMODB_ENDPOINT=http://127.0.0.1:8000 npx tsx infra/local/create-tables.ts
 */
import { loadConfig } from '../../functions/config';
import { createDynamoDbClient } from '../../functions/store/dynamodb-client';
import { TABLES } from '../tables';
import { ensureTable } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.dynamodbEndpoint === undefined) {
    throw new Error('DYNAMODB_ENDPOINT is not set: name the local DynamoDB to create the tables in');
  }
  const client = createDynamoDbClient({ region: config.region, endpoint: config.dynamodbEndpoint });
  for (const { definition, localName } of Object.values(TABLES)) {
    await ensureTable(client, definition, localName(config));
    console.log(`table ${localName(config)} ready in ${config.dynamodbEndpoint}`);
  }
}

main().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
