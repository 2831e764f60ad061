import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Client } from '@elastic/elasticsearch';
import { loadConfig } from '../../functions/config';
import { createService, type Service, type ServiceOverrides } from '../../functions/service';
import { inProcessContinuation } from '../../infra/local/in-process-continuation';
import { type LocalApi, startLocalApi } from '../../infra/local/server';
import { FixedClock } from './clock';
import {
  createRoleMappingsTable,
  createRolesTable,
  createTokensTable,
  createUsersTable,
  TEST_REGION,
  testClients,
  testEndpoint,
} from './dynamodb';
import { USERS, writeFileRealm } from './file-realm';
import { keepAuditLogs, recordExchange } from './secrets-audit';

export interface TestApi {
  readonly url: string;
  readonly clock: FixedClock;
  readonly service: Service;
  readonly tokensTable: string;
  readonly usersTable: string;
  readonly rolesTable: string;
  close(): Promise<void>;
}

/**
 * The local API (the same adapter `npm start` uses) on a free port, over fresh tables (tokens, users,
 * roles) in the shared DynamoDB Local, with a clock the test controls and the test file realm. `documents`
 * may wrap the service's DynamoDB client, to inject storage faults.
 */
export async function startTestApi(
  env: Record<string, string> = {},
  options: {
    documents?: (healthy: DynamoDBDocumentClient) => DynamoDBDocumentClient;
    /** Where a sweep out of time goes on (the Lambda continuation over a fake Lambda); in-process by default. */
    continuation?: ServiceOverrides['continuation'];
    /** Where invalidations are announced (an EventBridge adapter over a fake); nowhere by default. */
    revocationEvents?: ServiceOverrides['revocationEvents'];
  } = {},
): Promise<TestApi> {
  const { client, documents } = testClients();
  const tokensTable = await createTokensTable(client);
  const usersTable = await createUsersTable(client);
  const rolesTable = await createRolesTable(client);
  const roleMappingsTable = await createRoleMappingsTable(client);
  const clock = new FixedClock();
  const config = loadConfig({
    AWS_REGION: TEST_REGION,
    DYNAMODB_ENDPOINT: testEndpoint(),
    TOKENS_TABLE: tokensTable,
    USERS_TABLE: usersTable,
    ROLES_TABLE: rolesTable,
    ROLE_MAPPINGS_TABLE: roleMappingsTable,
    ELASTIC_PASSWORD: USERS.elastic.password,
    ES_PATH_CONF: await writeFileRealm(),
    // DynamoDB Local updates its indexes synchronously: the catch-up pass for index lag is not needed here.
    INVALIDATION_SETTLE: '0s',
    ...env,
  });
  const service = createService(config, {
    clock: clock.now,
    documents: options.documents?.(documents) ?? documents,
    continuation: options.continuation ?? inProcessContinuation,
    ...(options.revocationEvents !== undefined && { revocationEvents: options.revocationEvents }),
  });
  const api: LocalApi = await startLocalApi(service, { port: 0 });
  return {
    url: api.url,
    clock,
    service,
    tokensTable,
    usersTable,
    rolesTable,
    close: async () => {
      await api.close();
      keepAuditLogs(config.fileRealmPath);
    },
  };
}

export type Credentials = { readonly username: string; readonly password: string };
export type Auth = Credentials | { bearer: string } | undefined;

export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON: tests read it freely and assert its shape. */
  // biome-ignore lint/suspicious/noExplicitAny: a test reads arbitrary JSON
  readonly body: any;
  readonly text: string;
}

export function authorizationHeader(auth: Auth): Record<string, string> {
  if (auth === undefined) return {};
  if ('bearer' in auth) return { authorization: `Bearer ${auth.bearer}` };
  return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
}

/** A plain HTTP call, for asserting the exact wire shapes of the contract. */
export async function call(
  api: Pick<TestApi, 'url'>,
  method: string,
  path: string,
  options: { auth?: Auth; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...authorizationHeader(options.auth),
      ...options.headers,
    },
    body,
  });
  const text = await response.text();
  const parsed = parseOrUndefined(text);
  recordExchange({
    requestBody: options.body,
    authorization: authorizationHeader(options.auth).authorization,
    responseBody: parsed,
  });
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** The official Elasticsearch client, unchanged, pointed at the local API. */
export function esClient(api: Pick<TestApi, 'url'>, auth: Credentials | { bearer: string }): Client {
  const client = new Client({
    node: api.url,
    auth: 'bearer' in auth ? { bearer: auth.bearer } : { username: auth.username, password: auth.password },
  });
  // Every exchange the client makes is recorded for the secrets audit, like `call`'s.
  client.diagnostic.on('response', (_error, result) => {
    const body = result?.meta.request.params.body;
    recordExchange({
      requestBody: typeof body === 'string' ? parseOrUndefined(body) : body,
      authorization: authorizationHeader(auth).authorization,
      responseBody: result?.body,
    });
  });
  return client;
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A password-grant token pair for `user`, requested by `caller`. */
export async function passwordGrant(api: Pick<TestApi, 'url'>, user: Credentials, caller: Credentials = USERS.elastic) {
  const result = await call(api, 'POST', '/_security/oauth2/token', {
    auth: caller,
    body: { grant_type: 'password', username: user.username, password: user.password },
  });
  if (result.status !== 200) throw new Error(`password grant failed: ${result.status} ${result.text}`);
  return result.body as { access_token: string; refresh_token: string; authentication: Record<string, unknown> };
}
