import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The wire form of a token: base64url(kind | pair id | secret).
 *
 * The pair id lets either string of a pair find the pair with one GetItem; the secret is what proves
 * possession and is stored only as its SHA-256. Unsalted SHA-256 is enough because the secret is 256
 * random bits: there is nothing to brute-force, and a fast hash keeps authentication at one read.
 * The kind byte also versions the format, so a future layout can be told apart from this one.
 *
 * Kinds: 0x01 the access token of a pair with a refresh token, 0x02 a refresh token, 0x03 the access
 * token of a pair without one (client_credentials, GT-8). Knowing from the string alone that the access
 * token is its pair's only half lets its invalidation take the pair off the indexes in the same write.
 */

export type TokenKind = 'access' | 'refresh';

const ACCESS_WITH_REFRESH = 0x01;
const REFRESH = 0x02;
const ACCESS_ALONE = 0x03;
const PAIR_ID_BYTES = 16;
const SECRET_BYTES = 32;
const TOKEN_BYTES = 1 + PAIR_ID_BYTES + SECRET_BYTES;
/** Longer input is rejected before any decoding work. */
const MAX_TOKEN_CHARS = 128;

export interface TokenParts {
  readonly kind: TokenKind;
  readonly pairId: string;
  readonly secret: Buffer;
  /** An access token whose pair has no refresh half. */
  readonly soleHalf: boolean;
}

export type RandomBytes = (size: number) => Buffer;

export function newPairId(random: RandomBytes = randomBytes): string {
  return random(PAIR_ID_BYTES).toString('base64url');
}

export function newSecret(random: RandomBytes = randomBytes): Buffer {
  return random(SECRET_BYTES);
}

/** `soleHalf`: an access token issued without a refresh token. */
export function encodeToken(kind: TokenKind, pairId: string, secret: Buffer, soleHalf = false): string {
  const id = Buffer.from(pairId, 'base64url');
  const kindByte = kind === 'refresh' ? REFRESH : soleHalf ? ACCESS_ALONE : ACCESS_WITH_REFRESH;
  return Buffer.concat([Buffer.of(kindByte), id, secret]).toString('base64url');
}

/** Undefined for anything that is not a well-formed token of this service. */
export function decodeToken(token: string): TokenParts | undefined {
  if (token.length === 0 || token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  // Re-encoding rejects non-canonical spellings, so one token has exactly one string.
  if (bytes.length !== TOKEN_BYTES || bytes.toString('base64url') !== token) return undefined;
  const kindByte = bytes[0];
  if (kindByte !== ACCESS_WITH_REFRESH && kindByte !== REFRESH && kindByte !== ACCESS_ALONE) return undefined;
  return {
    kind: kindByte === REFRESH ? 'refresh' : 'access',
    pairId: bytes.subarray(1, 1 + PAIR_ID_BYTES).toString('base64url'),
    secret: bytes.subarray(1 + PAIR_ID_BYTES),
    soleHalf: kindByte === ACCESS_ALONE,
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
