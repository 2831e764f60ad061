import { type Authentication, authenticatedByRealm, clientOf, type RealmRef } from '../security/authentication';
import type { RoleMappings } from '../security/role-mapping/role-mappings';
import type { SsoUser } from '../security/sso-user';
import type { TokenService } from '../tokens/token-service';

export interface SsoPair {
  readonly authentication: Authentication;
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Seconds, as the SSO authenticate APIs answer `expires_in`. */
  readonly expiresIn: number;
}

/**
 * COMMON-1, COMMON-5: the roles of an SSO user by role mapping, then a token pair for it created by the caller
 * (the facilitator that called the authenticate API), as OpenID Connect and SAML logins both end.
 */
export async function issueSsoPair(
  { roleMappings, tokens }: { readonly roleMappings: RoleMappings; readonly tokens: TokenService },
  realm: RealmRef,
  user: SsoUser,
  caller: Authentication,
  tokenMetadata?: Record<string, string>,
): Promise<SsoPair> {
  const roles = await roleMappings.resolveRoles({
    username: user.principal,
    ...(user.dn !== undefined && { dn: user.dn }),
    groups: user.groups,
    metadata: user.metadata,
    realmName: realm.name,
  });
  const authentication = authenticatedByRealm(
    { username: user.principal, roles, full_name: user.name, email: user.mail, metadata: user.metadata, enabled: true },
    realm,
  );
  const issued = await tokens.issue({
    authentication,
    client: clientOf(caller),
    withRefreshToken: true,
    ...(tokenMetadata !== undefined && { tokenMetadata }),
  });
  return {
    authentication,
    accessToken: issued.accessToken,
    refreshToken: issued.refreshToken as string,
    expiresIn: Math.floor(tokens.accessTokenTimeoutMs / 1000),
  };
}
