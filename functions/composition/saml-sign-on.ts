import { SamlService } from '../app/saml-service';
import { ssoRealms } from '../app/sso-realms';
import { handedOverSettings, type Settings } from '../security/authc/realm-settings/settings-file';
import { samlRealmsOf } from '../security/authc/saml/saml-realm';
import type { RoleMappings } from '../security/authz/role-mapping/role-mappings';
import { DynamoDbSessionPairs } from '../store/dynamodb-session-pairs';
import { DynamoDbUsedAssertions } from '../store/dynamodb-used-assertions';
import type { TokenInvalidation } from '../tokens/token-invalidation';
import { roleMappingsOf } from './administration';
import { type Core, perCore } from './core';
import { ssoInvalidation } from './sso-invalidation';

export interface SamlSignOn {
  readonly roleMappings: RoleMappings;
  readonly saml: SamlService;
}

/** The SAML APIs over the realms of elasticsearch.yml, and the role mappings they map users with. */
export function samlSignOn(core: Core, invalidation: TokenInvalidation, settings: Settings): SamlSignOn {
  const { config, clock, tokens, tokenStore: store } = core;
  const roleMappings = roleMappingsOf(core);
  const realms = ssoRealms(samlRealmsOf, config, clock, settings);
  return {
    roleMappings,
    saml: new SamlService({
      realms,
      roleMappings,
      tokens,
      invalidation,
      store,
      clock,
      usedAssertions: new DynamoDbUsedAssertions(core.documents, config.tokensTable),
      sessionPairs: new DynamoDbSessionPairs(core.documents, config.tokensTable),
    }),
  };
}

/**
 * A function's part, SAML only (so it bundles no OpenID Connect library), over the realm
 * settings as synth prepared them (the config directory's layer).
 */
export const samlSignOnOf = perCore((core) => samlSignOn(core, ssoInvalidation(core), handedOverSettings(core.config)));
