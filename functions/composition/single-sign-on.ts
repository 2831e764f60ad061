import type { OidcService } from '../app/oidc-service';
import type { SamlService } from '../app/saml-service';
import type { Settings } from '../security/authc/realm-settings/settings-file';
import type { RoleMappings } from '../security/authz/role-mapping/role-mappings';
import type { TokenInvalidation } from '../tokens/token-invalidation';
import type { Core } from './core';
import { oidcSignOn } from './oidc-sign-on';
import { samlSignOn } from './saml-sign-on';

/** The single sign-on APIs' part: the OpenID Connect and SAML realms of elasticsearch.yml, and the role mappings. */
export interface SingleSignOn {
  readonly roleMappings: RoleMappings;
  /** The OpenID Connect APIs over the realms of elasticsearch.yml. */
  readonly oidc: OidcService;
  /** The SAML APIs over the realms of elasticsearch.yml. */
  readonly saml: SamlService;
}

/**
 * Single sign-on of the locally run service, over the invalidation it logs out with (the local API shares its
 * own) and the realm settings of elasticsearch.yml as it reads them.
 */
export function singleSignOn(core: Core, invalidation: TokenInvalidation, settings: Settings): SingleSignOn {
  return { ...oidcSignOn(core, invalidation, settings), ...samlSignOn(core, invalidation, settings) };
}
