import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { oidcRealms } from './app/oidc-realm-source';
import { OidcService } from './app/oidc-service';
import { RequestAuthenticator } from './app/request-authenticator';
import { SamlService } from './app/saml-service';
import { LambdaSweepContinuation } from './aws/lambda-sweep-continuation';
import { type Clock, systemClock } from './clock';
import { type Config, loadConfig } from './config';
import { MaxAgeCache } from './max-age-cache';
import { NativeRealm } from './security/native-realm';
import { NativeRoles } from './security/native-roles';
import { NativeUsers } from './security/native-users';
import { type Realm, RealmChain } from './security/realm';
import { ReservedRealm } from './security/reserved-realm';
import { RoleMappings } from './security/role-mapping/role-mappings';
import type { RoleDescriptor } from './security/role-store';
import { type FileRoleLookup, RoleRegistry } from './security/roles';
import { RunAs, RunAsPrivileges } from './security/run-as';
import { samlRealms } from './security/saml/realm-source';
import { SecretReservedRealm } from './security/secret-reserved-realm';
import { WatchedConfigDirectory, WatchedFileRealm } from './security/watched-config-directory';
import { createDocumentClient } from './store/dynamodb-client';
import { DynamoDbRoleMappingStore } from './store/dynamodb-role-mapping-store';
import { DynamoDbRoleStore } from './store/dynamodb-role-store';
import { DynamoDbSweepJobStore } from './store/dynamodb-sweep-jobs';
import { DynamoDbTokenStore } from './store/dynamodb-token-store';
import { DynamoDbUserStore } from './store/dynamodb-user-store';
import { readSecretString } from './store/secrets-manager';
import { logger } from './telemetry/logger';
import { sweepTelemetry } from './telemetry/sweep-telemetry';
import { InvalidationSweep } from './tokens/invalidation-sweep';
import { InProcessSweepContinuation, type SweepContinuation } from './tokens/sweep-continuation';
import type { SweepJobStore } from './tokens/sweep-jobs';
import { SweepRunner } from './tokens/sweep-runner';
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
  /** Realm- and user-wide invalidations as durable jobs: started by a request, resumed from their records. */
  readonly sweeps: SweepRunner;
  readonly continuation: SweepContinuation;
  /** The user API (native realm). */
  readonly users: NativeUsers;
  /** The role API (native roles). */
  readonly nativeRoles: NativeRoles;
  /** The role-mapping API, and the roles of SSO users. */
  readonly roleMappings: RoleMappings;
  /** The OpenID Connect APIs over the realms of elasticsearch.yml. */
  readonly oidc: OidcService;
  /** The SAML APIs over the realms of elasticsearch.yml. */
  readonly saml: SamlService;
  /** The `es-security-runas-user` header (security/run-as.ts). */
  readonly runAs: RunAs;
}

export interface ServiceOverrides {
  readonly clock?: Clock;
  readonly tokenStore?: TokenStore;
  /** The DynamoDB client every store uses (tests wrap it to inject storage faults). */
  readonly documents?: DynamoDBDocumentClient;
  /** Where sweep jobs are recorded (tests wrap it to inject crashes). */
  readonly sweepJobs?: SweepJobStore;
  /** Where a sweep out of time goes on (tests: the Lambda continuation over a fake Lambda). */
  readonly continuation?: (runner: () => SweepRunner) => SweepContinuation;
}

/** A run may hold its job this long without reporting: more than a function's 29 s timeout. */
const SWEEP_LEASE_MS = 60_000;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Inside Lambda a sweep goes on in another invocation of the function; elsewhere in this process. */
function continuationFor(config: Config, runner: () => SweepRunner): SweepContinuation {
  if (config.functionName !== undefined) return new LambdaSweepContinuation(config.functionName);
  return new InProcessSweepContinuation(runner, (error) =>
    logger.error('background invalidation failed', { errorName: (error as Error)?.name }),
  );
}

/**
 * The realm chain of the contract: reserved first (so `elastic` cannot be shadowed), then the file realm, then
 * the native realm, last because it is the only one that costs a read. The file realm's roles and run-as
 * grants come with it.
 */
function realmChain(config: Config, clock: Clock, userStore: DynamoDbUserStore) {
  const chain: Realm[] = [reservedRealm(config, clock)];
  let fileRealm: WatchedFileRealm | undefined;
  let fileRoles: FileRoleLookup = new Map();
  let fileRunAs: FileRoleLookup = new Map();
  if (config.fileRealmPath !== undefined) {
    // Re-read when its files change, as Elasticsearch re-reads them (security/watched-config-directory.ts).
    const files = new WatchedConfigDirectory({ directory: config.fileRealmPath, clock, warn: (m) => logger.warn(m) });
    fileRealm = new WatchedFileRealm(files);
    chain.push(fileRealm);
    fileRoles = { get: (name) => files.current().roles.get(name)?.cluster };
    fileRunAs = { get: (name) => runAsOf(files.current().roles.get(name)) };
  }
  chain.push(new NativeRealm(userStore));
  return { realms: new RealmChain(chain), fileRealm, fileRoles, fileRunAs };
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
  const { realms, fileRealm, fileRoles, fileRunAs } = realmChain(config, clock, userStore);
  const sweep = new InvalidationSweep({
    store: tokenStore,
    budgetMs: config.invalidationBudgetMs,
    drainMs: config.invalidationDrainMs,
    settleMs: config.invalidationSettleMs,
    catchUpWindowMs: 10_000,
    concurrency: config.invalidationConcurrency,
    pageSize: config.invalidationPageSize,
    attempts: 5,
    elapsed: () => performance.now(),
    pause,
  });
  const jobs = overrides.sweepJobs ?? new DynamoDbSweepJobStore(documents, config.tokensTable);
  const runner: () => SweepRunner = () => sweeps;
  const continuation = overrides.continuation?.(runner) ?? continuationFor(config, runner);
  const sweeps = new SweepRunner({
    sweep,
    store: tokenStore,
    jobs,
    continuation: () => continuation,
    clock,
    leaseMs: SWEEP_LEASE_MS,
    elapsed: () => performance.now(),
    events: sweepTelemetry,
  });
  const invalidation = new TokenInvalidation({ store: tokenStore, clock, sweeps });
  return {
    config,
    tokens,
    realms,
    roles: new RoleRegistry(fileRoles, roleStore),
    authenticator: new RequestAuthenticator(realms, tokens),
    invalidation,
    sweep,
    sweeps,
    continuation,
    users: new NativeUsers({ store: userStore, fileUsers: fileRealm }),
    nativeRoles: new NativeRoles(roleStore),
    ...singleSignOn(config, { documents, clock, tokens, invalidation, store: tokenStore }),
    runAs: new RunAs(realms, new RunAsPrivileges(roleStore, fileRunAs)),
  };
}

/** Role mappings and the OpenID Connect realms: how single sign-on users get in and get their roles. */
function singleSignOn(
  config: Config,
  deps: {
    documents: DynamoDBDocumentClient;
    clock: Clock;
    tokens: TokenService;
    invalidation: TokenInvalidation;
    store: TokenStore;
  },
): Pick<Service, 'roleMappings' | 'oidc' | 'saml'> {
  const roleMappings = new RoleMappings(
    new DynamoDbRoleMappingStore({ client: deps.documents, tableName: config.roleMappingsTable }),
  );
  const realms = oidcRealms(config, deps.clock);
  const { tokens, invalidation, store, clock } = deps;
  return {
    roleMappings,
    oidc: new OidcService({ realms, roleMappings, tokens, invalidation }),
    saml: new SamlService({ realms: samlRealms(config, clock), roleMappings, tokens, invalidation, store, clock }),
  };
}

/**
 * The `elastic` user: deployed, its password is the stack's generated secret, read at the first Basic
 * authentication of `elastic` and again once older than ELASTIC_PASSWORD_MAX_AGE; locally it is ELASTIC_PASSWORD.
 */
function reservedRealm(config: Config, clock: Clock): Realm {
  const { elasticPasswordSecretArn, elasticPassword, region } = config;
  if (elasticPasswordSecretArn === undefined) return new ReservedRealm(elasticPassword);
  return new SecretReservedRealm(
    new MaxAgeCache({
      read: async () => new ReservedRealm(await readSecretString(elasticPasswordSecretArn, region)),
      maxAgeMs: config.elasticPasswordMaxAgeMs,
      clock,
      onStale: (error) =>
        logger.warn('elastic password not re-read; the one read before is used', { errorName: (error as Error)?.name }),
    }),
  );
}

/** A role's `run_as` patterns: the strings of its list (the role descriptor checks keep it a list of strings). */
function runAsOf(role: RoleDescriptor | undefined): readonly string[] | undefined {
  if (role === undefined) return undefined;
  return Array.isArray(role.run_as) ? role.run_as.filter((p): p is string => typeof p === 'string') : [];
}

let processService: Service | undefined;

/** The service of this process, configured from the environment on first use (never at import time). */
export function defaultService(): Service {
  processService ??= createService(loadConfig());
  return processService;
}
