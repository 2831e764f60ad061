import { type Authentication, authenticatedByRealm, clientOf, type RealmRef } from '../security/authc/authentication';
import { keptOfSsoUser, type SsoUser, tokenMetadataFits } from '../security/authc/sso-user';
import type { RoleMappings } from '../security/authz/role-mapping/role-mappings';
import { logger } from '../telemetry/logger';
import type { TokenService } from '../tokens/token-service';

export interface SsoPair {
  readonly authentication: Authentication;
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Seconds, as the SSO authenticate APIs answer `expires_in`. */
  readonly expiresIn: number;
}

/** How a login ends for a user whose pair cannot be kept (COMMON-9): the protocol's generic 401, and its token metadata. */
export interface SsoPairOptions {
  readonly refused: () => Error;
  readonly tokenMetadata?: Record<string, string>;
}

/** The names of what was left out, in the log: a few, each cut short (the provider chose them). */
const namesForLog = (names: readonly string[]) => names.slice(0, 10).map((name) => name.slice(0, 100));

/**
 * COMMON-1, COMMON-5: the roles of an SSO user by role mapping, then a token pair for it created by the caller
 * (the facilitator that called the authenticate API), as OpenID Connect and SAML logins both end. COMMON-9: the
 * pair keeps what fits of the user; a principal or token metadata too long to keep refuses the login.
 */
export async function issueSsoPair(
  { roleMappings, tokens }: { readonly roleMappings: RoleMappings; readonly tokens: TokenService },
  realm: RealmRef,
  user: SsoUser,
  caller: Authentication,
  { refused, tokenMetadata }: SsoPairOptions,
): Promise<SsoPair> {
  const kept = keptOfSsoUser(user);
  if (kept === undefined || !tokenMetadataFits(tokenMetadata)) {
    logger.info('single sign-on user too large to keep with a token', { realm: realm.name });
    throw refused();
  }
  if (kept.leftOut.length > 0) {
    logger.info('single sign-on user fields left out of the token', { realm: realm.name, leftOut: namesForLog(kept.leftOut) });
  }
  const roles = await roleMappings.resolveRoles({
    username: user.principal,
    ...(user.dn !== undefined && { dn: user.dn }),
    groups: user.groups,
    metadata: user.metadata,
    realmName: realm.name,
  });
  const { name, mail, metadata } = kept.user;
  const authentication = authenticatedByRealm(
    { username: user.principal, roles, full_name: name, email: mail, metadata, enabled: true },
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

/**
 * COMMON-7: the first of the candidate realms that authenticates the user. A realm's own failure (`isFailure`)
 * moves on to the next, logged by its step only, never with what the identity provider sent; any other error
 * stops the login. When none succeeds, `refused` is what the caller is answered.
 */
export async function firstAuthenticated<R extends { readonly name: string }, U>(
  candidates: readonly R[],
  attempt: (realm: R) => Promise<U>,
  { isFailure, protocol, refused }: { isFailure: (error: unknown) => boolean; protocol: string; refused: () => Error },
): Promise<{ realm: R; user: U }> {
  for (const realm of candidates) {
    try {
      return { realm, user: await attempt(realm) };
    } catch (error) {
      if (!isFailure(error)) throw error;
      logger.info(`${protocol} authentication failed`, { realm: realm.name, reason: (error as Error).message });
    }
  }
  throw refused();
}
