import { RequestAuthenticator } from '../app/request-authenticator';
import { type Clock, systemClock } from '../clock';
import { type Config, ConfigurationError, loadConfig } from '../config';
import type { RealmChain } from '../security/authc/realm';
import { PREDEFINED_CLUSTER_PRIVILEGES } from '../security/authz/cluster-privileges';
import { RoleRegistry } from '../security/authz/roles';
import { PROCESS_SETTINGS } from '../settings';
import { createDocumentClient } from '../store/dynamodb-client';
import { DynamoDbRoleStore } from '../store/dynamodb-role-store';
import { DynamoDbTokenStore } from '../store/dynamodb-token-store';
import { TokenService } from '../tokens/token-service';
import type { CoreOverrides } from './core';

/** What a caller must hold to be let through; an empty list asks nothing. */
export interface AuthorizerRequirements {
  /** At least one of these roles. */
  readonly anyRole: readonly string[];
  /** At least one of these predefined cluster privileges granted by its roles; `all` always counts. */
  readonly anyPrivilege: readonly string[];
}

/**
 * The authorizer's part, and nothing else: the token service over the tokens table (the same code that
 * authenticates a Bearer caller of this service) and the native roles' reads. No realm is in its chain, so
 * Basic credentials are refused; it reads no users table, no secret, no configuration directory.
 */
export interface AuthorizerService {
  readonly authenticator: RequestAuthenticator;
  readonly roles: RoleRegistry;
  readonly requirements: AuthorizerRequirements;
}

const listOf = (raw: string | undefined) =>
  (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** The requirements of the environment the TokenAuthorizer construct sets; an unknown privilege refuses the start. */
export function authorizerRequirements(env: NodeJS.ProcessEnv): AuthorizerRequirements {
  const anyPrivilege = listOf(env[PROCESS_SETTINGS.authorizerPrivileges.env]);
  const unknown = anyPrivilege.filter((privilege) => !PREDEFINED_CLUSTER_PRIVILEGES.includes(privilege));
  if (unknown.length > 0) {
    throw new ConfigurationError(
      `${PROCESS_SETTINGS.authorizerPrivileges.env}: [${unknown.join(',')}] are not predefined cluster privileges [${PREDEFINED_CLUSTER_PRIVILEGES.join(',')}]`,
    );
  }
  return { anyRole: listOf(env[PROCESS_SETTINGS.authorizerRoles.env]), anyPrivilege };
}

/** Basic credentials authenticate nobody here (and no password library is bundled). */
const NO_REALMS: Pick<RealmChain, 'authenticate' | 'realms'> = { realms: [], authenticate: async () => undefined };

export function createAuthorizerService(
  config: Config,
  requirements: AuthorizerRequirements,
  overrides: Pick<CoreOverrides, 'clock' | 'documents'> = {},
): AuthorizerService {
  const documents = overrides.documents ?? createDocumentClient({ region: config.region, endpoint: config.dynamodbEndpoint });
  const clock: Clock = overrides.clock ?? systemClock;
  const store = new DynamoDbTokenStore({ client: documents, tableName: config.tokensTable, indexShards: config.indexShards });
  // As the core builds it (composition/core.ts): a pair past REFRESH_TOKEN_LIFETIME authenticates nobody here either.
  const tokens = new TokenService({
    store,
    clock,
    accessTokenTimeoutMs: config.accessTokenTimeoutMs,
    refreshLifetimeMs: config.refreshTokenLifetimeMs,
  });
  return {
    authenticator: new RequestAuthenticator(NO_REALMS, tokens),
    roles: new RoleRegistry(new Map(), new DynamoDbRoleStore({ client: documents, tableName: config.rolesTable })),
    requirements,
  };
}

/** The deployed authorizer's service, configured from its environment at its first request. */
export function authorizerFunctionService(): () => AuthorizerService {
  let built: AuthorizerService | undefined;
  return () => {
    built ??= createAuthorizerService(loadConfig(), authorizerRequirements(process.env));
    return built;
  };
}
