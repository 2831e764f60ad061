/**
 * `npm start`: the token service on this machine, no AWS account needed.
 * Starts DynamoDB Local (unless DYNAMODB_ENDPOINT names another DynamoDB), creates the tables from their
 * shared definitions, and serves the routes on http://127.0.0.1:9200 (PORT, HOST to change).
 */
import { randomBytes } from 'node:crypto';
import { ConfigurationError, loadConfig } from '../../functions/config';
import { createService } from '../../functions/service';
import { readSetting } from '../../functions/setting-types';
import { PROCESS_SETTINGS } from '../../functions/settings';
import { createDynamoDbClient } from '../../functions/store/dynamodb-client';
import { ROLE_MAPPINGS_TABLE, ROLES_TABLE, TOKENS_TABLE, USERS_TABLE } from '../../functions/store/tables';
import { ensureTable } from './bootstrap';
import { type DynamoDbLocal, JavaMissingError, startDynamoDbLocal } from './dynamodb-local';
import { inProcessContinuation } from './in-process-continuation';
import { startLocalApi } from './server';

async function main(): Promise<void> {
  const generatedPassword = process.env.ELASTIC_PASSWORD ? undefined : randomBytes(15).toString('base64url');
  const config = loadConfig({ ...process.env, ...(generatedPassword && { ELASTIC_PASSWORD: generatedPassword }) });

  let dynamodb: DynamoDbLocal | undefined;
  const stopDynamoDb = async () => {
    await dynamodb?.stop();
  };
  process.once('exit', () => dynamodb?.process.kill('SIGTERM'));
  if (config.dynamodbEndpoint === undefined) dynamodb = await startDynamoDbLocal();
  const endpoint = config.dynamodbEndpoint ?? dynamodb?.endpoint;
  const serviceConfig = { ...config, dynamodbEndpoint: endpoint };

  try {
    const client = createDynamoDbClient({ region: config.region, endpoint });
    await ensureTable(client, TOKENS_TABLE, config.tokensTable);
    await ensureTable(client, USERS_TABLE, config.usersTable);
    await ensureTable(client, ROLES_TABLE, config.rolesTable);
    await ensureTable(client, ROLE_MAPPINGS_TABLE, config.roleMappingsTable);
  } catch (error) {
    await stopDynamoDb();
    throw error;
  }
  const service = createService(serviceConfig, { continuation: inProcessContinuation });
  const api = await startLocalApi(service, {
    port: readSetting(PROCESS_SETTINGS.port, process.env),
    host: readSetting(PROCESS_SETTINGS.host, process.env),
  });

  console.log(
    `DynamoDB: ${endpoint}${dynamodb ? ' (DynamoDB Local, in memory)' : ''}, tables ${config.tokensTable}, ${config.usersTable}, ${config.rolesTable}, ${config.roleMappingsTable}`,
  );
  if (generatedPassword) {
    // Printed once, as Elasticsearch prints its generated bootstrap password; never logged elsewhere.
    console.log(`Generated password for the elastic user: ${generatedPassword} (set ELASTIC_PASSWORD to choose one)`);
  }
  // Sweeps a previous process left unfinished (it crashed, or was killed) go on: their watermarks already
  // refuse their tokens; this finishes the flipping.
  const resumed = await service.continuation.resumeOrphans();
  if (resumed > 0) console.log(`Resuming ${resumed} unfinished realm- or user-wide invalidation(s)`);
  // Last, so that a reader of the output (a person, a test) knows everything above is settled.
  console.log(`Elasticsearch token service listening on ${api.url}`);

  const shutdown = async (signal: string) => {
    console.log(`${signal}: stopping`);
    await api.close();
    await stopDynamoDb();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigurationError || error instanceof JavaMissingError) {
    console.error(`error: ${error.message}`);
  } else {
    console.error('error: the local API could not start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
