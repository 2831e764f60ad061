import { OidcService } from '../app/oidc-service';
import { ssoRealms } from '../app/sso-realms';
import { oidcRealmsOf } from '../security/authc/oidc/oidc-realm';
import { handedOverSettings, type Settings } from '../security/authc/realm-settings/settings-file';
import type { RoleMappings } from '../security/authz/role-mapping/role-mappings';
import type { TokenInvalidation } from '../tokens/token-invalidation';
import { roleMappingsOf } from './administration';
import { type Core, perCore } from './core';
import { ssoInvalidation } from './sso-invalidation';

export interface OidcSignOn {
  readonly roleMappings: RoleMappings;
  readonly oidc: OidcService;
}

/** The OpenID Connect APIs over the realms of elasticsearch.yml, and the role mappings they map users with. */
export function oidcSignOn(core: Core, invalidation: TokenInvalidation, settings: Settings): OidcSignOn {
  const { config, clock, tokens } = core;
  const roleMappings = roleMappingsOf(core);
  return {
    roleMappings,
    oidc: new OidcService({ realms: ssoRealms(oidcRealmsOf, config, clock, settings), roleMappings, tokens, invalidation }),
  };
}

/**
 * A function's part, OpenID Connect only (so it bundles no SAML library), over the realm
 * settings as synth prepared them (the config directory's layer).
 */
export const oidcSignOnOf = perCore((core) => oidcSignOn(core, ssoInvalidation(core), handedOverSettings(core.config)));
