import type { SsoUser } from '../sso-user';
import type { OidcRealmConfig } from './realm-config';

/**
 * From the claims of an ID token (merged with userinfo) to a user, as Elasticsearch's
 * `OpenIdConnectRealm.buildUserFromClaims` and `ClaimParser` do (OIDC-U-1..OIDC-U-4), and the merge of
 * userinfo into the ID token's claims (`OpenIdConnectAuthenticator.mergeObjects`, OIDC-A-7).
 */

export type Claims = Record<string, unknown>;

/** A failure the realm turns into the generic 401 (COMMON-6); the message is for the log only. */
export class OidcAuthenticationFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OidcAuthenticationFailure';
  }
}

/** The user of an OpenID Connect login (OIDC-U-1..OIDC-U-4). */
export type OidcUser = SsoUser;

/**
 * OIDC-U-2: a string or an array of strings, as Elasticsearch's shared `ClaimParser` reads a claim: an array
 * holding anything else, a null included, fails the login. With a pattern, group 1 of the values that match.
 */
function claimValues(config: OidcRealmConfig, name: keyof OidcRealmConfig['claims'], claims: Claims): string[] {
  const setting = config.claims[name];
  if (setting === undefined) return [];
  const raw = claims[setting.claim];
  if (raw === undefined || raw === null) return [];
  const values =
    typeof raw === 'string'
      ? [raw]
      : Array.isArray(raw) && raw.every((v) => typeof v === 'string')
        ? (raw as string[])
        : undefined;
  if (values === undefined) {
    throw new OidcAuthenticationFailure(`Setting [claims.${name}] expects a claim with String or a String Array value`);
  }
  if (setting.pattern === undefined) return values;
  const pattern = setting.pattern;
  return values.flatMap((value) => {
    const group = pattern.exec(value)?.[1];
    return group === undefined || group === '' ? [] : [group];
  });
}

/** OIDC-U-4: `oidc(<claim>)` for each claim whose value is a string, a boolean or a number. */
function userMetadata(config: OidcRealmConfig, claims: Claims): Record<string, unknown> {
  if (!config.populateUserMetadata) return {};
  const metadata: Record<string, unknown> = {};
  for (const [claim, value] of Object.entries(claims)) {
    if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') metadata[`oidc(${claim})`] = value;
  }
  return metadata;
}

/** OIDC-U-1..OIDC-U-4 */
export function userFromClaims(config: OidcRealmConfig, claims: Claims): OidcUser {
  const principal = claimValues(config, 'principal', claims)[0];
  if (principal === undefined || principal === '') {
    throw new OidcAuthenticationFailure(`OpenID Connect claim [${config.claims.principal?.claim}] not found in the claims`);
  }
  const dn = claimValues(config, 'dn', claims)[0];
  return {
    principal,
    groups: claimValues(config, 'groups', claims),
    name: claimValues(config, 'name', claims)[0] ?? null,
    mail: claimValues(config, 'mail', claims)[0] ?? null,
    ...(dn !== undefined && { dn }),
    metadata: userMetadata(config, claims),
  };
}

/**
 * How deep claims may nest, the claims object itself being the first level. Elasticsearch's JSON parser refuses
 * deeper documents; here the merge of the userinfo claims (OIDC-A-7) recurses, so deeper claims would overflow
 * the stack instead of failing the login.
 */
const MAX_CLAIMS_DEPTH = 400;

/** Refuses claims nested deeper than MAX_CLAIMS_DEPTH, walking them without recursion, before anything recurses. */
export function assertClaimsDepth(claims: Claims, source: string): void {
  const pending: { value: unknown; depth: number }[] = [{ value: claims, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth > MAX_CLAIMS_DEPTH) {
      throw new OidcAuthenticationFailure(`The ${source} nests claims more than [${MAX_CLAIMS_DEPTH}] levels deep`);
    }
    for (const value of Object.values(next.value)) pending.push({ value, depth: next.depth + 1 });
  }
}

function isObject(value: unknown): value is Claims {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeValue(key: string, idTokenValue: unknown, userinfoValue: unknown): unknown {
  if (idTokenValue === undefined) return userinfoValue;
  if (Array.isArray(idTokenValue)) return [...idTokenValue, ...(Array.isArray(userinfoValue) ? userinfoValue : [userinfoValue])];
  if (isObject(idTokenValue) && isObject(userinfoValue)) return mergeClaims(idTokenValue, userinfoValue);
  const sameType = typeof idTokenValue === typeof userinfoValue && !isObject(userinfoValue) && !Array.isArray(userinfoValue);
  // Elasticsearch tolerates true beside "true": some providers send booleans as strings.
  if (sameType || String(idTokenValue) === String(userinfoValue)) return idTokenValue;
  throw new OidcAuthenticationFailure(`Error merging claims from the ID token and the UserInfo response for claim [${key}]`);
}

/** OIDC-A-7: scalars of the ID token win, objects merge, arrays concatenate, a scalar joins an array. */
export function mergeClaims(idToken: Claims, userinfo: Claims): Claims {
  const merged: Claims = { ...idToken };
  for (const [key, value] of Object.entries(userinfo)) merged[key] = mergeValue(key, idToken[key], value);
  return merged;
}
