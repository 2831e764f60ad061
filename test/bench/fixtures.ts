import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '../../functions/clock';
import { type Config, loadConfig } from '../../functions/config';
import type { Authentication, TokenClient } from '../../functions/security/authc/authentication';
import { BCRYPT_COST, hashPassword } from '../../functions/security/authc/passwords/bcrypt';
import { createService, type Service } from '../../functions/service';
import { createDocumentClient, createDynamoDbClient } from '../../functions/store/dynamodb-client';
import { DynamoDbSweepJobStore } from '../../functions/store/dynamodb-sweep-jobs';
import { DynamoDbTokenStore } from '../../functions/store/dynamodb-token-store';
import { TOKENS_TABLE } from '../../functions/store/tables';
import { type IssuedTokens, TokenService } from '../../functions/tokens/token-service';
import { newPairId } from '../../functions/tokens/token-string';
import { type InProcessSweepContinuation, inProcessContinuation } from '../../infra/local/in-process-continuation';
import { createTokensTable } from '../support/dynamodb';
import { fileRealmUser } from '../support/test-users';
import { MeteredClient } from './metered-client';

const REGION = 'us-east-1';
/** The tokens table's partition key, from the shared definition: the floors swap it, nothing else. */
export const PAIR_KEY = TOKENS_TABLE.partitionKey.name;

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** The users of a run. Passwords are random per run and never printed. */
export interface BenchUsers {
  /** The reserved superuser: its password is checked with one SHA-256, no bcrypt. */
  readonly elastic: Credentials;
  /** A file-realm user holding `manage_token`, bcrypt cost 10 as Elasticsearch hashes. */
  readonly fileClient: Credentials;
  /** A file-realm user without privileges, the subject of password grants; bcrypt cost 10. */
  readonly fileUser: Credentials;
}

function password(): string {
  return randomBytes(18).toString('base64url');
}

/** An Elasticsearch config directory for the file realm, with cost-10 bcrypt hashes. */
async function writeFileRealm(users: BenchUsers): Promise<string> {
  const directory = mkdtempSync(join(tmpdir(), 'es-token-bench-'));
  const fileUsers = [users.fileClient, users.fileUser];
  const lines = await Promise.all(fileUsers.map(async (u) => `${u.username}:${await hashPassword(u.password, BCRYPT_COST)}`));
  writeFileSync(join(directory, 'users'), `${lines.join('\n')}\n`);
  writeFileSync(join(directory, 'users_roles'), `token_manager:${users.fileClient.username}\n`);
  writeFileSync(join(directory, 'roles.yml'), 'token_manager:\n  cluster: [manage_token]\n');
  return directory;
}

/** What every suite of a run shares: one DynamoDB Local, its clients, the users and their realm. */
export class BenchEnvironment {
  readonly client: DynamoDBClient;
  readonly documents: DynamoDBDocumentClient;
  /** The one client the service's adapter and the floors both send through. */
  readonly metered: MeteredClient;

  private constructor(
    readonly endpoint: string,
    readonly users: BenchUsers,
    readonly realmDirectory: string,
  ) {
    this.client = createDynamoDbClient({ region: REGION, endpoint });
    this.documents = createDocumentClient({ region: REGION, endpoint });
    this.metered = new MeteredClient(this.documents);
  }

  static async create(endpoint: string): Promise<BenchEnvironment> {
    const users: BenchUsers = {
      elastic: { username: 'elastic', password: password() },
      fileClient: { username: 'bench_client', password: password() },
      fileUser: { username: 'bench_user', password: password() },
    };
    return new BenchEnvironment(endpoint, users, await writeFileRealm(users));
  }

  /** The environment a deployed function reads, pointed at this run's DynamoDB and realm. */
  functionEnvironment(tableName: string, extra: Record<string, string> = {}): Record<string, string> {
    return {
      ...extra,
      AWS_REGION: REGION,
      DYNAMODB_ENDPOINT: this.endpoint,
      TOKENS_TABLE: tableName,
      ELASTIC_PASSWORD: this.users.elastic.password,
      ES_PATH_CONF: this.realmDirectory,
    };
  }

  /** The production configuration: the defaults of every setting, pointed at this run's table. */
  config(tableName: string, extra: Record<string, string> = {}): Config {
    return loadConfig(this.functionEnvironment(tableName, extra));
  }

  /** Lines of the audit logs the services wrote (audit-cost.ts), under the realm directory's `logs/`. */
  auditLines(): number {
    const logs = join(this.realmDirectory, 'logs');
    if (!existsSync(logs)) return 0;
    return readdirSync(logs).reduce((sum, name) => sum + readFileSync(join(logs, name), 'utf8').split('\n').length - 1, 0);
  }

  /** The composition root of the functions, with the adapter's document client wrapped by the meter. */
  service(tableName: string, extra: Record<string, string> = {}): Service<InProcessSweepContinuation> {
    const config = this.config(tableName, extra);
    const tokenStore = new DynamoDbTokenStore({ client: this.metered.client, tableName, indexShards: config.indexShards });
    // The sweep's job records are metered with the pairs: they are part of a realm-wide invalidation's cost.
    return createService(config, {
      tokenStore,
      sweepJobs: new DynamoDbSweepJobStore(this.metered.client, tableName),
      continuation: inProcessContinuation,
    });
  }

  createTable(): Promise<string> {
    return createTokensTable(this.client);
  }

  async dropTable(tableName: string): Promise<void> {
    await this.client.send(new DeleteTableCommand({ TableName: tableName }));
  }

  /** Removes the realm directory (DynamoDB Local's tables go with its process). */
  dispose(): void {
    rmSync(this.realmDirectory, { recursive: true, force: true });
  }
}

/** A file-realm user's authentication as a realm would produce it. */
export function userOf(username: string, realm: string): Authentication {
  return fileRealmUser(username, realm, { roles: ['bench'] });
}

export interface MintedPair {
  readonly tokens: IssuedTokens;
  /** The item exactly as the adapter would put it. */
  readonly item: Record<string, unknown>;
}

/**
 * Token pairs issued by the real TokenService and mapped to items by the real adapter, but not sent: the
 * adapter's PutItem is captured, so seeding can write the items in batches instead of one call each.
 */
export async function mintPairs(
  count: number,
  request: (n: number) => { authentication: Authentication; client: TokenClient; withRefreshToken: boolean },
  config: Config,
): Promise<MintedPair[]> {
  let captured: Record<string, unknown> | undefined;
  const capture = {
    send: async (command: { input: { Item?: Record<string, unknown> } }) => {
      captured = command.input.Item;
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
  const store = new DynamoDbTokenStore({ client: capture, tableName: 'unsent', indexShards: config.indexShards });
  const tokens = new TokenService({ store, clock: systemClock, accessTokenTimeoutMs: config.accessTokenTimeoutMs });
  const pairs: MintedPair[] = [];
  for (let n = 0; n < count; n++) {
    const issued = await tokens.issue(request(n));
    if (captured === undefined) throw new Error('the adapter sent no item');
    pairs.push({ tokens: issued, item: captured });
    captured = undefined;
  }
  return pairs;
}

/**
 * The same item under a new pair id: what the floors act on (their own items, same size and shape). A
 * shallow copy: nothing writes into an item once built, and the floor makes one per operation.
 */
export function copyWithNewId(item: Record<string, unknown>): Record<string, unknown> {
  return { ...item, [PAIR_KEY]: newPairId() };
}

/** BatchWriteItem, 25 items a call, a few calls in flight, unprocessed items retried. */
export async function seed(
  documents: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  concurrency = 8,
): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      let requests = (batches[next++] as Record<string, unknown>[]).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        if (attempt > 10) throw new Error('seeding: DynamoDB kept items unprocessed');
        const { UnprocessedItems } = await documents.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
        requests = (UnprocessedItems?.[tableName] ?? []) as typeof requests;
        if (requests.length > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
