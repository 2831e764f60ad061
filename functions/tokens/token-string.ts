import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The wire form of a token: base64url(kind | pair id | secret).
 *
 * The pair id lets either string of a pair find the pair with one GetItem; the secret is what proves
 * possession and is stored only as its SHA-256. Unsalted SHA-256 is enough because the secret is 256
 * random bits: there is nothing to brute-force, and a fast hash keeps authentication at one read.
 * The kind byte also versions the format, so a future layout can be told apart from this one.
 */

export type TokenKind = 'access' | 'refresh';

const KIND_BYTE: Record<TokenKind, number> = { access: 0x01, refresh: 0x02 };
const PAIR_ID_BYTES = 16;
const SECRET_BYTES = 32;
const TOKEN_BYTES = 1 + PAIR_ID_BYTES + SECRET_BYTES;
/** Longer input is rejected before any decoding work. */
const MAX_TOKEN_CHARS = 128;

export interface TokenParts {
  readonly kind: TokenKind;
  readonly pairId: string;
  readonly secret: Buffer;
}

export type RandomBytes = (size: number) => Buffer;

export function newPairId(random: RandomBytes = randomBytes): string {
  return random(PAIR_ID_BYTES).toString('base64url');
}

export function newSecret(random: RandomBytes = randomBytes): Buffer {
  return random(SECRET_BYTES);
}

export function encodeToken(kind: TokenKind, pairId: string, secret: Buffer): string {
  const id = Buffer.from(pairId, 'base64url');
  return Buffer.concat([Buffer.of(KIND_BYTE[kind]), id, secret]).toString('base64url');
}

/** Undefined for anything that is not a well-formed token of this service. */
export function decodeToken(token: string): TokenParts | undefined {
  if (token.length === 0 || token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  // Re-encoding rejects non-canonical spellings, so one token has exactly one string.
  if (bytes.length !== TOKEN_BYTES || bytes.toString('base64url') !== token) return undefined;
  const kind = bytes[0] === KIND_BYTE.access ? 'access' : bytes[0] === KIND_BYTE.refresh ? 'refresh' : undefined;
  if (kind === undefined) return undefined;
  return {
    kind,
    pairId: bytes.subarray(1, 1 + PAIR_ID_BYTES).toString('base64url'),
    secret: bytes.subarray(1 + PAIR_ID_BYTES),
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
