import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DIGEST_BYTES, type ScopeDigests } from './scope-digest';

/**
 * The wire form of a token: base64url(kind | pair id | realm digest | user digest | secret).
 *
 * The pair id and the two digests (scope-digest.ts) let either string of a pair read the pair and the
 * revocation watermarks of its scopes in one round trip; the secret is what proves possession and is stored
 * only as its SHA-256. Unsalted SHA-256 is enough because the secret is 256 random bits: there is nothing to
 * brute-force, and a fast hash keeps authentication at one read. The kind byte versions the format.
 *
 * Kinds: 0x11 the access token of a pair with a refresh token, 0x12 a refresh token, 0x13 the access
 * token of a pair without one (client_credentials, GT-8). Knowing from the string alone that the access
 * token is its pair's only half lets its invalidation take the pair off the indexes in the same write.
 * 0x01..0x03 are the same kinds in the previous version's format, without the digests: such tokens, issued
 * before the upgrade, are accepted until they expire (at most 24 h), their watermarks read as that version
 * laid them out (store/legacy-layout.ts).
 */

export type TokenKind = 'access' | 'refresh';

const ACCESS_WITH_REFRESH = 0x11;
const REFRESH = 0x12;
const ACCESS_ALONE = 0x13;
/** The previous version's kinds differ in the high nibble only. */
const PREVIOUS_VERSION = 0x10;
const PAIR_ID_BYTES = 16;
const SECRET_BYTES = 32;
const SCOPE_BYTES = 2 * DIGEST_BYTES;
const TOKEN_BYTES = 1 + PAIR_ID_BYTES + SCOPE_BYTES + SECRET_BYTES;
const PREVIOUS_TOKEN_BYTES = 1 + PAIR_ID_BYTES + SECRET_BYTES;
/** Longer input is rejected before any decoding work. */
const MAX_TOKEN_CHARS = 128;

export interface TokenParts {
  readonly kind: TokenKind;
  readonly pairId: string;
  readonly secret: Buffer;
  /** An access token whose pair has no refresh half. */
  readonly soleHalf: boolean;
  /** The digests of the pair's realm and username; absent in a token of the previous version. */
  readonly scope?: ScopeDigests;
}

export type RandomBytes = (size: number) => Buffer;

export function newPairId(random: RandomBytes = randomBytes): string {
  return random(PAIR_ID_BYTES).toString('base64url');
}

export function newSecret(random: RandomBytes = randomBytes): Buffer {
  return random(SECRET_BYTES);
}

/**
 * `soleHalf`: an access token issued without a refresh token. `scope`: the digests of the pair's realm and
 * username; without, the previous version's format (what tests of the upgrade mint).
 */
export function encodeToken(kind: TokenKind, pairId: string, secret: Buffer, soleHalf = false, scope?: ScopeDigests): string {
  const id = Buffer.from(pairId, 'base64url');
  const kindByte = kind === 'refresh' ? REFRESH : soleHalf ? ACCESS_ALONE : ACCESS_WITH_REFRESH;
  if (scope === undefined) return Buffer.concat([Buffer.of(kindByte - PREVIOUS_VERSION), id, secret]).toString('base64url');
  const digests = [Buffer.from(scope.realm, 'base64url'), Buffer.from(scope.user, 'base64url')];
  return Buffer.concat([Buffer.of(kindByte), id, ...digests, secret]).toString('base64url');
}

/** Undefined for anything that is not a well-formed token of this service (of this version or the previous one). */
export function decodeToken(token: string): TokenParts | undefined {
  if (token.length === 0 || token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  // Re-encoding rejects non-canonical spellings, so one token has exactly one string.
  if (bytes.toString('base64url') !== token) return undefined;
  const kindByte = bytes[0] as number;
  const current = bytes.length === TOKEN_BYTES && kindByte >= ACCESS_WITH_REFRESH && kindByte <= ACCESS_ALONE;
  const previous = bytes.length === PREVIOUS_TOKEN_BYTES && kindByte >= 0x01 && kindByte <= 0x03;
  if (!current && !previous) return undefined;
  const kind = current ? kindByte : kindByte + PREVIOUS_VERSION;
  const secretAt = current ? 1 + PAIR_ID_BYTES + SCOPE_BYTES : 1 + PAIR_ID_BYTES;
  const digestAt = (n: number) =>
    bytes.subarray(1 + PAIR_ID_BYTES + n * DIGEST_BYTES, 1 + PAIR_ID_BYTES + (n + 1) * DIGEST_BYTES);
  return {
    kind: kind === REFRESH ? 'refresh' : 'access',
    pairId: bytes.subarray(1, 1 + PAIR_ID_BYTES).toString('base64url'),
    secret: bytes.subarray(secretAt),
    soleHalf: kind === ACCESS_ALONE,
    ...(current && { scope: { realm: digestAt(0).toString('base64url'), user: digestAt(1).toString('base64url') } }),
  };
}

export function hashSecret(secret: Buffer): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: Buffer, storedHash: string | undefined): boolean {
  if (storedHash === undefined) return false;
  const presented = createHash('sha256').update(secret).digest();
  const stored = Buffer.from(storedHash, 'base64url');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

/** The realm/username index shard of a pair: its id is random, so its first bytes spread evenly. */
export function shardOf(pairId: string, shards: number): number {
  return Buffer.from(pairId, 'base64url').readUInt16BE(0) % shards;
}
