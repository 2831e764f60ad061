import { oidcRealms } from '../app/oidc-realm-source';
import { OidcService } from '../app/oidc-service';
import { SamlService } from '../app/saml-service';
import { handedOverSettings, type Settings } from '../security/realm-settings/settings-file';
import type { RoleMappings } from '../security/role-mapping/role-mappings';
import { samlRealms } from '../security/saml/realm-source';
import { DynamoDbSessionPairs } from '../store/dynamodb-session-pairs';
import { DynamoDbUsedAssertions } from '../store/dynamodb-used-assertions';
import type { SweepRunner } from '../tokens/sweep-runner';
import { TokenInvalidation } from '../tokens/token-invalidation';
import { roleMappingsOf } from './administration';
import { type Core, perCore } from './core';

/** The single sign-on APIs' part: the OpenID Connect and SAML realms of elasticsearch.yml, and the role mappings. */
export interface SingleSignOn {
  readonly roleMappings: RoleMappings;
  /** The OpenID Connect APIs over the realms of elasticsearch.yml. */
  readonly oidc: OidcService;
  /** The SAML APIs over the realms of elasticsearch.yml. */
  readonly saml: SamlService;
}

/** A logout invalidates the pair it was given, never a realm or a user: no sweep runs behind it. */
const NO_SWEEPS: Pick<SweepRunner, 'start'> = {
  start: () => Promise.reject(new Error('a single sign-on logout invalidates one pair, never a realm or a user')),
};

/**
 * Single sign-on, over the invalidation it logs out with (the local API shares its own; a function has its own)
 * and the realm settings of elasticsearch.yml (as the locally run service reads them, or as synth handed them over).
 */
export function singleSignOn(core: Core, invalidation: TokenInvalidation, settings: Settings): SingleSignOn {
  const { config, clock, tokens, tokenStore: store } = core;
  const roleMappings = roleMappingsOf(core);
  return {
    roleMappings,
    oidc: new OidcService({ realms: oidcRealms(config, clock, settings), roleMappings, tokens, invalidation }),
    saml: new SamlService({
      realms: samlRealms(config, clock, settings),
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

export const singleSignOnOf = perCore((core) =>
  singleSignOn(
    core,
    new TokenInvalidation({ store: core.tokenStore, clock: core.clock, sweeps: NO_SWEEPS }),
    handedOverSettings(core.config),
  ),
);
