import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LambdaSweepContinuation } from './aws/lambda-sweep-continuation';
import { type Clock, systemClock } from './clock';
import { type Config, loadConfig } from './config';
import { logger } from './http/logger';
import { DeferredRealm } from './security/deferred-realm';
import { FileRealm, readOptional } from './security/file-realm';
import { NativeRealm } from './security/native-realm';
import { NativeRoles } from './security/native-roles';
import { NativeUsers } from './security/native-users';
import { OidcService } from './security/oidc/oidc-service';
import { oidcRealms } from './security/oidc/realm-source';
import { type Realm, RealmChain } from './security/realm';
import { RequestAuthenticator } from './security/request-authenticator';
import { RESERVED_REALM, ReservedRealm } from './security/reserved-realm';
import { RoleMappings } from './security/role-mapping/role-mappings';
import { parseRolesFile, RoleRegistry } from './security/roles';
import { RunAs, RunAsPrivileges } from './security/run-as';
import { createDocumentClient } from './store/dynamodb-client';
import { DynamoDbRoleMappingStore } from './store/dynamodb-role-mapping-store';
import { DynamoDbRoleStore } from './store/dynamodb-role-store';
import { DynamoDbTokenStore } from './store/dynamodb-token-store';
import { DynamoDbUserStore } from './store/dynamodb-user-store';
import { readSecretString } from './store/secrets-manager';
import { InvalidationSweep } from './tokens/invalidation-sweep';
import { InProcessSweepContinuation, type SweepContinuation } from './tokens/sweep-continuation';
import { TokenInvalidation } from './tokens/token-invalidation';
import { TokenService } from './tokens/token-service';
import type { TokenStore } from './tokens/token-store';

/** Everything a handler needs, built once per process (Lambda cold start, local API start). */
export interface Service {
  readonly config: Config;
  readonly tokens: TokenService;
  readonly realms: RealmChain;
  readonly roles: RoleRegistry;
  readonly authenticator: RequestAuthenticator;
  readonly invalidation: TokenInvalidation;
  readonly sweep: InvalidationSweep;
  readonly continuation: SweepContinuation;
  /** The user API (native realm). */
  readonly users: NativeUsers;
  /** The role API (native roles). */
  readonly nativeRoles: NativeRoles;
  /** The role-mapping API, and the roles of SSO users. */
  readonly roleMappings: RoleMappings;
  /** The OpenID Connect APIs over the realms of elasticsearch.yml. */
  readonly oidc: OidcService;
  /** The `es-security-runas-user` header (security/run-as.ts). */
  readonly runAs: RunAs;
}

export interface ServiceOverrides {
  readonly clock?: Clock;
  readonly tokenStore?: TokenStore;
  /** The DynamoDB client every store uses (tests wrap it to inject storage faults). */
  readonly documents?: DynamoDBDocumentClient;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Inside Lambda a sweep goes on in another invocation of the function; elsewhere in this process. */
function continuationFor(config: Config, sweep: () => InvalidationSweep): SweepContinuation {
  if (config.functionName !== undefined) return new LambdaSweepContinuation(config.functionName);
  return new InProcessSweepContinuation(sweep, (error) =>
    logger.error('background invalidation failed', { errorName: (error as Error)?.name }),
  );
}

/** The composition root: the only place where the core is handed its storage, clock and realms. */
export function createService(config: Config, overrides: ServiceOverrides = {}): Service {
  const documents = overrides.documents ?? createDocumentClient({ region: config.region, endpoint: config.dynamodbEndpoint });
  const tokenStore =
    overrides.tokenStore ??
    new DynamoDbTokenStore({
      client: documents,
      tableName: config.tokensTable,
      indexShards: config.indexShards,
    });
  const clock = overrides.clock ?? systemClock;
  const tokens = new TokenService({
    store: tokenStore,
    clock,
    accessTokenTimeoutMs: config.accessTokenTimeoutMs,
  });
  const userStore = new DynamoDbUserStore({ client: documents, tableName: config.usersTable });
  const roleStore = new DynamoDbRoleStore({ client: documents, tableName: config.rolesTable });
  // The realm chain of the contract: reserved first (so `elastic` cannot be shadowed), then the file realm,
  // then the native realm, last because it is the only one that costs a read.
  const chain: Realm[] = [reservedRealm(config)];
  let fileRealm: FileRealm | undefined;
  let fileRoles = new Map<string, string[]>();
  if (config.fileRealmPath !== undefined) {
    fileRealm = FileRealm.fromDirectory(config.fileRealmPath);
    chain.push(fileRealm);
    fileRoles = parseRolesFile(readOptional(join(config.fileRealmPath, 'roles.yml')));
  }
  chain.push(new NativeRealm(userStore));
  const realms = new RealmChain(chain);
  const sweep = new InvalidationSweep({
    store: tokenStore,
    budgetMs: config.invalidationBudgetMs,
    settleMs: config.invalidationSettleMs,
    catchUpWindowMs: 10_000,
    concurrency: config.invalidationConcurrency,
    pageSize: config.invalidationPageSize,
    attempts: 5,
    elapsed: () => performance.now(),
    pause,
  });
  const continuation = continuationFor(config, () => sweep);
  const invalidation = new TokenInvalidation({ store: tokenStore, clock, sweep, continuation });
  return {
    config,
    tokens,
    realms,
    roles: new RoleRegistry(fileRoles, roleStore),
    authenticator: new RequestAuthenticator(realms, tokens),
    invalidation,
    sweep,
    continuation,
    users: new NativeUsers({ store: userStore, fileUsers: fileRealm }),
    nativeRoles: new NativeRoles(roleStore),
    ...singleSignOn(config, { documents, clock, tokens, invalidation }),
    // The roles file's run_as entries are not read yet (its reader keeps only `cluster`): native and built-in roles grant it.
    runAs: new RunAs(realms, new RunAsPrivileges(roleStore)),
  };
}

/** Role mappings and the OpenID Connect realms: how single sign-on users get in and get their roles. */
function singleSignOn(
  config: Config,
  deps: { documents: DynamoDBDocumentClient; clock: Clock; tokens: TokenService; invalidation: TokenInvalidation },
): Pick<Service, 'roleMappings' | 'oidc'> {
  const roleMappings = new RoleMappings(
    new DynamoDbRoleMappingStore({ client: deps.documents, tableName: config.roleMappingsTable }),
  );
  const realms = oidcRealms(config, deps.clock);
  return { roleMappings, oidc: new OidcService({ realms, roleMappings, tokens: deps.tokens, invalidation: deps.invalidation }) };
}

/**
 * The `elastic` user: deployed, its password is the stack's generated secret, read once per process at
 * the first Basic authentication; locally it is ELASTIC_PASSWORD.
 */
function reservedRealm({ elasticPasswordSecretArn, elasticPassword, region }: Config): Realm {
  if (elasticPasswordSecretArn === undefined) return new ReservedRealm(elasticPassword);
  return new DeferredRealm(
    RESERVED_REALM,
    async () => new ReservedRealm(await readSecretString(elasticPasswordSecretArn, region)),
  );
}

let processService: Service | undefined;

/** The service of this process, configured from the environment on first use (never at import time). */
export function defaultService(): Service {
  processService ??= createService(loadConfig());
  return processService;
}
