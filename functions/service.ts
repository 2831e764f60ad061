import { join } from 'node:path';
import { type Clock, systemClock } from './clock';
import { type Config, loadConfig } from './config';
import { DeferredRealm } from './security/deferred-realm';
import { FileRealm, readOptional } from './security/file-realm';
import { type Realm, RealmChain } from './security/realm';
import { RequestAuthenticator } from './security/request-authenticator';
import { RESERVED_REALM, ReservedRealm } from './security/reserved-realm';
import { parseRolesFile, RoleRegistry } from './security/roles';
import { createDocumentClient } from './store/dynamodb-client';
import { DynamoDbTokenStore } from './store/dynamodb-token-store';
import { readSecretString } from './store/secrets-manager';
import { TokenService } from './tokens/token-service';
import type { TokenStore } from './tokens/token-store';

/** Everything a handler needs, built once per process (Lambda cold start, local API start). */
export interface Service {
  readonly config: Config;
  readonly tokens: TokenService;
  readonly realms: RealmChain;
  readonly roles: RoleRegistry;
  readonly authenticator: RequestAuthenticator;
}

export interface ServiceOverrides {
  readonly clock?: Clock;
  readonly tokenStore?: TokenStore;
}

/** The composition root: the only place where the core is handed its storage, clock and realms. */
export function createService(config: Config, overrides: ServiceOverrides = {}): Service {
  const tokenStore =
    overrides.tokenStore ??
    new DynamoDbTokenStore({
      client: createDocumentClient({ region: config.region, endpoint: config.dynamodbEndpoint }),
      tableName: config.tokensTable,
      indexShards: config.indexShards,
    });
  const tokens = new TokenService({
    store: tokenStore,
    clock: overrides.clock ?? systemClock,
    accessTokenTimeoutMs: config.accessTokenTimeoutMs,
  });
  // The realm chain of the contract: reserved first (so `elastic` cannot be shadowed), then the file realm.
  const chain: Realm[] = [reservedRealm(config)];
  let roles = new RoleRegistry();
  if (config.fileRealmPath !== undefined) {
    chain.push(FileRealm.fromDirectory(config.fileRealmPath));
    roles = new RoleRegistry(parseRolesFile(readOptional(join(config.fileRealmPath, 'roles.yml'))));
  }
  const realms = new RealmChain(chain);
  return { config, tokens, realms, roles, authenticator: new RequestAuthenticator(realms, tokens) };
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
