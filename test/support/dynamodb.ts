import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createDynamoDbClient } from '../../functions/store/dynamodb-client';
import { ROLE_MAPPINGS_TABLE, ROLES_TABLE, TOKENS_TABLE, USERS_TABLE } from '../../functions/store/tables';
import { ATTR } from '../../functions/store/token-items';
import { ensureTable } from '../../infra/local/bootstrap';

export const TEST_REGION = 'us-east-1';

/**
 * DynamoDB Local's JVM in the tests: the client compiler only (C2 spent more CPU compiling DynamoDB Local's large
 * code than its faster code saved over a run: half the JVM's CPU for the same requests, measured), and the serial
 * collector (one small heap, no concurrent GC threads). On 2 cores the JVM shares the CPU with the test workers.
 */
export const TEST_JAVA_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

export function testEndpoint(): string {
  const endpoint = process.env.TEST_DYNAMODB_ENDPOINT;
  if (endpoint === undefined) {
    throw new Error(
      'TEST_DYNAMODB_ENDPOINT is not set: run the tests through jest, and put a test that needs DynamoDB Local outside ' +
        'test/unit, whose tier starts none (jest.config.js)',
    );
  }
  return endpoint;
}

export function testClients(): { client: DynamoDBClient; documents: DynamoDBDocumentClient } {
  const settings = { region: TEST_REGION, endpoint: testEndpoint() };
  return { client: createDynamoDbClient(settings), documents: createDocumentClient(settings) };
}

/*
 * Tables are never deleted: the secrets audit searches every table after the whole run (global-teardown.ts),
 * and DynamoDB Local, in memory, takes them all with it when it stops.
 */

/** A fresh tokens table with a unique name, created from the shared definition. */
export async function createTokensTable(client: DynamoDBClient): Promise<string> {
  const tableName = `tokens-${randomUUID()}`;
  await ensureTable(client, TOKENS_TABLE, tableName);
  return tableName;
}

/** A fresh users table (native realm) with a unique name, created from the shared definition. */
export async function createUsersTable(client: DynamoDBClient): Promise<string> {
  const tableName = `users-${randomUUID()}`;
  await ensureTable(client, USERS_TABLE, tableName);
  return tableName;
}

/** A fresh roles table (native roles) with a unique name, created from the shared definition. */
export async function createRolesTable(client: DynamoDBClient): Promise<string> {
  const tableName = `roles-${randomUUID()}`;
  await ensureTable(client, ROLES_TABLE, tableName);
  return tableName;
}

/** A fresh role-mappings table with a unique name, created from the shared definition. */
export async function createRoleMappingsTable(client: DynamoDBClient): Promise<string> {
  const tableName = `role-mappings-${randomUUID()}`;
  await ensureTable(client, ROLE_MAPPINGS_TABLE, tableName);
  return tableName;
}

export async function scanAll(documents: DynamoDBDocumentClient, tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** The token pairs a tokens table holds (its other kinds of item, watermarks and used assertions, aside). */
export async function pairCount(documents: DynamoDBDocumentClient, tableName: string): Promise<number> {
  return (await scanAll(documents, tableName)).filter((item) => item[ATTR.accessHash] !== undefined).length;
}
