import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RequestAuthenticator } from '../app/request-authenticator';
import type { SettingsMap } from '../audit/audit-settings';
import type { AuditTrail } from '../audit/audit-trail';
import { auditTrailOf } from '../audit/trail-of';
import { type Clock, systemClock } from '../clock';
import type { Config } from '../config';
import { MaxAgeCache } from '../max-age-cache';
import { type AccountChanges, UNWATCHED_ACCOUNTS } from '../security/authc/account-changes';
import { WatchedFileRealm } from '../security/authc/file/file-realm';
import { NativeRealm } from '../security/authc/native/native-realm';
import { ReservedRealm } from '../security/authc/native/reserved-realm';
import { SecretReservedRealm } from '../security/authc/native/secret-reserved-realm';
import { type Realm, RealmChain } from '../security/authc/realm';
import { type FileRoleDescriptors, RoleDescriptors } from '../security/authz/privileges/role-descriptors';
import type { RoleDescriptor } from '../security/authz/role-store';
import { type FileRoleLookup, RoleRegistry } from '../security/authz/roles';
import { RunAs, RunAsPrivileges } from '../security/authz/run-as';
import type { ConfigDirectorySource } from '../security/config-directory/config-directory';
import { createDocumentClient } from '../store/dynamodb-client';
import { DynamoDbRoleStore } from '../store/dynamodb-role-store';
import { DynamoDbTokenStore } from '../store/dynamodb-token-store';
import { DynamoDbUserStore } from '../store/dynamodb-user-store';
import { readSecretString } from '../store/secrets-manager';
import { lifecycleTelemetry } from '../telemetry/lifecycle-telemetry';
import { logger } from '../telemetry/logger';
import { AccountChangeRevocation } from '../tokens/lifecycle/account-change-revocation';
import { RefreshReuse } from '../tokens/lifecycle/refresh-reuse';
import { boundedRevocationEvents, NO_REVOCATION_EVENTS, type RevocationEvents } from '../tokens/revocation-events';
import { TokenService } from '../tokens/token-service';
import type { TokenStore } from '../tokens/token-store';

/**
 * What every function needs: its configuration, storage and clock, the token service, and who the caller is
 * (the realm chain, run-as) and what it may do (its roles). The parts some APIs add (sweeps, single sign-on,
 * administration) are built from it by their own modules, so a function's bundle holds only what it runs.
 */
export interface Core {
  readonly config: Config;
  readonly clock: Clock;
  readonly documents: DynamoDBDocumentClient;
  readonly tokenStore: TokenStore;
  readonly tokens: TokenService;
  readonly realms: RealmChain;
  readonly roles: RoleRegistry;
  readonly authenticator: RequestAuthenticator;
  /** The `es-security-runas-user` header (security/authz/run-as.ts). */
  readonly runAs: RunAs;
  readonly userStore: DynamoDbUserStore;
  readonly roleStore: DynamoDbRoleStore;
  /** The file realm, when the deployment has one: the user API refuses to shadow its users. */
  readonly fileRealm: WatchedFileRealm | undefined;
  /** LC-1: what an account change does to its tokens (REVOKE_ON_ACCOUNT_CHANGE); by default nothing. */
  readonly accountChanges: AccountChanges;
  /** Elasticsearch's audit trail, when `xpack.security.audit.enabled` is true (audit/audit-trail.ts). */
  readonly audit: AuditTrail | undefined;
  /** Whole role descriptors, for the privilege APIs (what a caller may do, evaluated, not enforced). */
  readonly roleDescriptors: RoleDescriptors;
  /** Where invalidations are announced: bounded, and nowhere unless the function's module named a bus adapter. */
  readonly revocationEvents: RevocationEvents;
}

export interface CoreOverrides {
  readonly clock?: Clock;
  readonly tokenStore?: TokenStore;
  /** The DynamoDB client every store uses (tests wrap it to inject storage faults). */
  readonly documents?: DynamoDBDocumentClient;
  /**
   * Where invalidations are announced (aws/eventbridge-revocation-events.ts), named by the modules of the
   * functions that invalidate only, so no other bundle holds the EventBridge client.
   */
  readonly revocationEvents?: (config: Config) => RevocationEvents;
}

export interface CoreParts extends CoreOverrides {
  /**
   * How the file realm's directory is read: re-read on change where it is a directory of files (the local
   * API), read once where synth prepared it (a deployed function). Either way the module that reads it is
   * the caller's, so a function's bundle holds no YAML parser.
   */
  readonly configDirectory: (directory: string, clock: Clock, accountChanges: AccountChanges) => ConfigDirectorySource;
  /** The settings of `elasticsearch.yml` where the service reads the file itself (locally): its audit settings. */
  readonly settings?: SettingsMap;
}

/** The composition root of the core: the only place where it is handed its storage, clock and realms. */
export function createCore(config: Config, overrides: CoreParts): Core {
  const documents = overrides.documents ?? createDocumentClient({ region: config.region, endpoint: config.dynamodbEndpoint });
  const tokenStore =
    overrides.tokenStore ??
    new DynamoDbTokenStore({ client: documents, tableName: config.tokensTable, indexShards: config.indexShards });
  const clock = overrides.clock ?? systemClock;
  const refreshLifetimeMs = config.refreshTokenLifetimeMs;
  const tokens = new TokenService({
    store: tokenStore,
    clock,
    accessTokenTimeoutMs: config.accessTokenTimeoutMs,
    refreshLifetimeMs,
    ...(config.refreshReuseDetection && {
      reuse: new RefreshReuse({ store: tokenStore, clock, refreshLifetimeMs, events: lifecycleTelemetry.reuse }),
    }),
  });
  const userStore = new DynamoDbUserStore({ client: documents, tableName: config.usersTable });
  const roleStore = new DynamoDbRoleStore({ client: documents, tableName: config.rolesTable });
  const audit = auditTrailOf(config, overrides.settings ?? new Map(), clock);
  const accountChanges = config.revokeOnAccountChange
    ? new AccountChangeRevocation({
        store: tokenStore,
        clock,
        refreshLifetimeMs,
        revoked: lifecycleTelemetry.revokedOnAccountChange,
      })
    : UNWATCHED_ACCOUNTS;
  const { realms, fileRealm, fileRoles, fileRunAs, fileDescriptors } = realmChain(
    { config, clock, userStore, accountChanges },
    overrides.configDirectory,
  );
  return {
    config,
    clock,
    documents,
    tokenStore,
    tokens,
    realms,
    roles: new RoleRegistry(fileRoles, roleStore),
    authenticator: new RequestAuthenticator(realms, tokens),
    runAs: new RunAs(realms, new RunAsPrivileges(roleStore, fileRunAs)),
    userStore,
    roleStore,
    fileRealm,
    accountChanges,
    audit,
    roleDescriptors: new RoleDescriptors(fileDescriptors, roleStore),
    revocationEvents: boundedRevocationEvents(overrides.revocationEvents?.(config) ?? NO_REVOCATION_EVENTS),
  };
}

/** A part built once per core, by the first API of the process that needs it. */
export function perCore<T>(build: (core: Core) => T): (core: Core) => T {
  const built = new WeakMap<Core, T>();
  return (core) => {
    const found = built.get(core);
    if (found !== undefined) return found;
    const part = build(core);
    built.set(core, part);
    return part;
  };
}

/**
 * The realm chain of the contract: reserved first (so `elastic` cannot be shadowed), then the file realm, then
 * the native realm, last because it is the only one that costs a read. The file realm's roles and run-as
 * grants come with it.
 */
function realmChain(
  {
    config,
    clock,
    userStore,
    accountChanges,
  }: { config: Config; clock: Clock; userStore: DynamoDbUserStore; accountChanges: AccountChanges },
  configDirectory: CoreParts['configDirectory'],
) {
  const chain: Realm[] = [reservedRealm(config, clock)];
  let fileRealm: WatchedFileRealm | undefined;
  let fileRoles: FileRoleLookup = new Map();
  let fileRunAs: FileRoleLookup = new Map();
  let fileDescriptors: FileRoleDescriptors = new Map();
  if (config.fileRealmPath !== undefined) {
    const files = configDirectory(config.fileRealmPath, clock, accountChanges);
    fileRealm = new WatchedFileRealm(files);
    chain.push(fileRealm);
    fileRoles = { get: (name) => files.current().roles.get(name)?.cluster };
    fileRunAs = { get: (name) => runAsOf(files.current().roles.get(name)) };
    fileDescriptors = { get: (name) => files.current().roles.get(name) };
  }
  chain.push(new NativeRealm(userStore));
  return { realms: new RealmChain(chain), fileRealm, fileRoles, fileRunAs, fileDescriptors };
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
