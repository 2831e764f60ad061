/**
 * A user as a single sign-on realm builds it from what the identity provider asserted (OpenID Connect claims,
 * SAML attributes): Elasticsearch's realms map both onto the same fields before role mapping.
 */
export interface SsoUser {
  readonly principal: string;
  readonly groups: string[];
  readonly name: string | null;
  readonly mail: string | null;
  readonly dn?: string;
  readonly metadata: Record<string, unknown>;
}
