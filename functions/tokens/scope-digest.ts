import { createHash } from 'node:crypto';
import { SSO_PRINCIPAL_MAX_BYTES } from '../security/authc/sso-user';

/** Whose pairs a realm- or user-wide invalidation covers (IV-8), as sent; at least one of the two is set. */
export interface InvalidationScope {
  readonly realm?: string;
  readonly username?: string;
}

/**
 * What a token carries besides its pair id: digests of its pair's realm and username (token-string.ts).
 * They name the revocation watermarks that can apply to the pair, so the one read of a token use fetches
 * the pair and exactly those watermarks (store/dynamodb-revocations.ts); the token service then checks them
 * against the pair as read, so a holder cannot point the read at another scope's watermarks.
 */
export interface ScopeDigests {
  readonly realm: string;
  readonly user: string;
}

/** 128 bits, as the pair id: no two names share a digest, by accident or by design. */
export const DIGEST_BYTES = 16;

/** The two kinds are hashed apart, so a realm and a user of the same name have different digests. */
function digest(kind: 'realm' | 'user', name: string): string {
  return createHash('sha256').update(`${kind}\0${name}`).digest().subarray(0, DIGEST_BYTES).toString('base64url');
}

export const realmDigest = (realm: string): string => digest('realm', realm);
export const userDigest = (username: string): string => digest('user', username);

export function digestsOf({ realm, username }: { realm: string; username: string }): ScopeDigests {
  return { realm: realmDigest(realm), user: userDigest(username) };
}

export function sameDigests(a: ScopeDigests, b: ScopeDigests): boolean {
  return a.realm === b.realm && a.user === b.user;
}

/**
 * A realm- or user-wide scope as the service keeps it (sweep job records, watermarks): the realm by name,
 * which the realm index and the username index's realm filter need and which the configuration bounds, and
 * the user by digest, so that no username sent is kept. At least one of the two is set.
 */
export interface ScopeKey {
  readonly realm?: string;
  /** The user's digest (userDigest). */
  readonly user?: string;
}

/**
 * The longest realm name a pair can have: the realm index key holds it with `#<shard>` (store/tables.ts),
 * and DynamoDB refuses a key over 2,048 bytes, so no pair of a longer realm can be stored.
 */
const REALM_NAME_MAX_BYTES = 2_040;
/**
 * The longest username a pair can have: single sign-on principals are bounded by SSO_PRINCIPAL_MAX_BYTES,
 * native and file-realm usernames by Elasticsearch's 507 characters (at most 3 UTF-8 bytes each), both less.
 */
const USERNAME_MAX_BYTES = SSO_PRINCIPAL_MAX_BYTES;

/**
 * The scope as kept, or undefined when no pair can belong to it (a name longer than any realm or username
 * the service accepts): such a request has nothing to revoke or sweep, and costs nothing anyone reads.
 */
export function scopeKeyOf({ realm, username }: InvalidationScope): ScopeKey | undefined {
  if (realm !== undefined && Buffer.byteLength(realm) > REALM_NAME_MAX_BYTES) return undefined;
  if (username !== undefined && Buffer.byteLength(username) > USERNAME_MAX_BYTES) return undefined;
  return { ...(realm !== undefined && { realm }), ...(username !== undefined && { user: userDigest(username) }) };
}
