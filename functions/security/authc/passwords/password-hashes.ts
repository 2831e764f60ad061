import { createHash, pbkdf2, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { IllegalArgumentError } from '../../../errors';
import { BCRYPT_COST, compareBcrypt } from './bcrypt';

/**
 * The password hashes Elasticsearch's `Hasher` knows, resolved from the hash itself as `Hasher.resolveFromHash`
 * does, and verified with node:crypto (PBKDF2, digests) or bcryptjs. A hash whose cost or iteration count
 * `Hasher` has no variant for is not a hash at all: it is refused before any hashing, so that a stored
 * `$2a$31$` cannot make each login cost hours of CPU.
 */
const pbkdf2Async = promisify(pbkdf2);

/** The bcrypt costs and PBKDF2 iteration counts of Hasher's variants (BCRYPT4..BCRYPT14, PBKDF2_1000..). */
const BCRYPT_COSTS = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14] as const;
const PBKDF2_ITERATIONS = [1000, 10_000, 50_000, 100_000, 500_000, 1_000_000] as const;
const PBKDF2_DEFAULT_ITERATIONS = 10_000;
/** 512 bits, the largest key Elasticsearch's own tests store (it makes 256-bit keys): one block of HMAC-SHA512. */
const MAX_PBKDF2_KEY_BYTES = 64;

/** `Hasher.getAvailableAlgoStoredPasswordHash()`: the enum's bcrypt and PBKDF2 names, in its order, lower case. */
export const STORED_PASSWORD_HASHERS: readonly string[] = [
  'bcrypt',
  ...BCRYPT_COSTS.map((cost) => `bcrypt${cost}`),
  'pbkdf2',
  ...PBKDF2_ITERATIONS.map((n) => `pbkdf2_${n}`),
  'pbkdf2_stretch',
  ...PBKDF2_ITERATIONS.map((n) => `pbkdf2_stretch_${n}`),
];

export interface Hasher {
  /** As Elasticsearch names the enum constant (`BCRYPT`, `BCRYPT12`, `PBKDF2_STRETCH_1000`, `SSHA256`, `NOOP`). */
  readonly name: string;
  /** Whether put user and change password accept it (`getAvailableAlgoStoredPasswordHash`). */
  readonly stored: boolean;
  /** Whether a failed check costs at least the dummy bcrypt check (realm.ts): bcrypt at the default cost or more. */
  readonly atLeastDefaultCost: boolean;
  /** Whether the hash is well formed for its algorithm (never true for NOOP: a clear-text "hash" never matches). */
  wellFormed(hash: string): boolean;
  verify(password: string, hash: string): Promise<boolean>;
}

const BCRYPT_HASH = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function bcryptHasher(cost: number): Hasher {
  return {
    name: cost === BCRYPT_COST ? 'BCRYPT' : `BCRYPT${cost}`,
    stored: true,
    atLeastDefaultCost: cost >= BCRYPT_COST,
    wellFormed: (hash) => BCRYPT_HASH.test(hash),
    verify: async (password, hash) => BCRYPT_HASH.test(hash) && compareBcrypt(password, hash),
  };
}

/** `{PBKDF2}iterations$salt$key`: PBKDF2 with HMAC-SHA512; the STRETCH variant first takes SHA-512 of the password, in hex. */
function pbkdf2Hasher(prefix: string, iterations: number): Hasher {
  const stretch = prefix === PBKDF2_STRETCH_PREFIX;
  const base = stretch ? 'PBKDF2_STRETCH' : 'PBKDF2';
  const parts = (hash: string) => {
    const [salt, key, ...rest] = hash.slice(prefix.length + String(iterations).length + 1).split('$');
    if (rest.length > 0 || salt === undefined || key === undefined || !BASE64.test(salt) || !BASE64.test(key)) return undefined;
    // Hasher.verifyPbkdf2Hash: the key length is the stored key's, rounded down to whole 16-byte blocks; the salt 8 bytes at least.
    const keyBytes = Math.floor((key.length * 3) / 64) * 16;
    const saltBytes = Buffer.from(salt, 'base64');
    // Each 64 bytes of key costs the iterations again: beyond one SHA-512 block, a stored hash would set its own price.
    return keyBytes > 0 && keyBytes <= MAX_PBKDF2_KEY_BYTES && saltBytes.length >= 8 ? { saltBytes, key, keyBytes } : undefined;
  };
  return {
    name: iterations === PBKDF2_DEFAULT_ITERATIONS ? base : `${base}_${iterations}`,
    stored: true,
    atLeastDefaultCost: false,
    wellFormed: (hash) => parts(hash) !== undefined,
    verify: async (password, hash) => {
      const found = parts(hash);
      if (found === undefined) return false;
      const input = stretch ? createHash('sha512').update(password, 'utf8').digest('hex') : password;
      const derived = await pbkdf2Async(Buffer.from(input, 'utf8'), found.saltBytes, iterations, found.keyBytes, 'sha512');
      return equalStrings(derived.toString('base64'), found.key);
    },
  };
}

/** `{SHA}`, `{MD5}`: base64 of an unsalted digest; `{SSHA256}`: 12 characters of base64 salt, then SHA-256 of password and salt. */
function digestHasher(name: 'SHA1' | 'MD5' | 'SSHA256', prefix: string): Hasher {
  const digestOf = (password: string, body: string): string | undefined => {
    if (name !== 'SSHA256')
      return createHash(name === 'SHA1' ? 'sha1' : 'md5')
        .update(password, 'utf8')
        .digest('base64');
    const salt = body.slice(0, 12);
    if (!BASE64.test(salt)) return undefined;
    return createHash('sha256').update(password, 'utf8').update(Buffer.from(salt, 'base64')).digest('base64');
  };
  const wellFormed = (hash: string) => {
    const body = hash.slice(prefix.length);
    if (!hash.startsWith(prefix)) return false;
    return name === 'SSHA256'
      ? body.length > 12 && BASE64.test(body.slice(0, 12)) && BASE64.test(body.slice(12))
      : BASE64.test(body);
  };
  return {
    name,
    stored: false,
    atLeastDefaultCost: false,
    wellFormed,
    verify: async (password, hash) => {
      if (!wellFormed(hash)) return false;
      const body = hash.slice(prefix.length);
      const computed = digestOf(password, body);
      return computed !== undefined && equalStrings(computed, name === 'SSHA256' ? body.slice(12) : body);
    },
  };
}

const NOOP: Hasher = {
  name: 'NOOP',
  stored: false,
  atLeastDefaultCost: false,
  wellFormed: () => false,
  verify: async () => false,
};

const PBKDF2_PREFIX = '{PBKDF2}';
const PBKDF2_STRETCH_PREFIX = '{PBKDF2_STRETCH}';
const DIGESTS: ReadonlyMap<string, Hasher> = new Map([
  ['{SHA}', digestHasher('SHA1', '{SHA}')],
  ['{MD5}', digestHasher('MD5', '{MD5}')],
  ['{SSHA256}', digestHasher('SSHA256', '{SSHA256}')],
]);

function equalStrings(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Java's `Integer.parseInt`: an optional sign and decimal digits, within 32 bits; else a NumberFormatException. */
function parseJavaInt(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= -(2 ** 31) && value < 2 ** 31 ? value : undefined;
}

/** The iterations of a PBKDF2 hash (`Hasher.parsePbkdf2Iterations`), then its variant (`Hasher.resolve`). */
function resolvePbkdf2(hash: string, prefix: string): Hasher {
  const separator = hash.indexOf('$', prefix.length);
  const iterations = separator === -1 ? undefined : parseJavaInt(hash.slice(prefix.length, separator));
  if (iterations === undefined) {
    throw new IllegalArgumentError('The number of iterations could not be determined from the provided PBKDF2 hash.');
  }
  if (!(PBKDF2_ITERATIONS as readonly number[]).includes(iterations)) {
    const name = prefix === PBKDF2_STRETCH_PREFIX ? 'pbkdf2_stretch_' : 'pbkdf2_';
    throw new IllegalArgumentError(`unknown hash function [${name}${iterations}]`);
  }
  return pbkdf2Hasher(prefix, iterations);
}

/** The cost of a bcrypt hash, read as Hasher does: what lies between `$2a$` and the last 54 characters. */
function resolveBcrypt(hash: string): Hasher {
  const end = hash.length - 54;
  if (end < 4) throw new IllegalArgumentError(`4 > ${end}`); // Arrays.copyOfRange's own words
  const text = hash.slice(4, end);
  const cost = parseJavaInt(text);
  if (cost === undefined) throw new IllegalArgumentError(`For input string: "${text}"`);
  if (!(BCRYPT_COSTS as readonly number[]).includes(cost))
    throw new IllegalArgumentError(`unknown hash function [bcrypt${cost}]`);
  return bcryptHasher(cost);
}

/**
 * `Hasher.resolveFromHash`: the algorithm and cost a hash names, by its prefix; NOOP when it has none. Throws
 * Elasticsearch's IllegalArgumentException where it does: a bcrypt cost or PBKDF2 iteration count it has no
 * variant for, or iterations that are not a number.
 */
export function resolveHasher(hash: string): Hasher {
  if (/^\$2[aby]\$/.test(hash)) return resolveBcrypt(hash);
  if (hash.startsWith(PBKDF2_STRETCH_PREFIX)) return resolvePbkdf2(hash, PBKDF2_STRETCH_PREFIX);
  if (hash.startsWith(PBKDF2_PREFIX)) return resolvePbkdf2(hash, PBKDF2_PREFIX);
  for (const [prefix, hasher] of DIGESTS) if (hash.startsWith(prefix)) return hasher;
  return NOOP;
}

/** The hasher of a hash that can be verified, or undefined: unresolvable, clear text, or malformed. */
export function verifiableHasher(hash: string): Hasher | undefined {
  try {
    const hasher = resolveHasher(hash);
    return hasher.wellFormed(hash) ? hasher : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Put user's and change password's `password_hash`: a hash of one of the stored algorithms, else Elasticsearch's
 * IllegalArgumentException (its resolver's own, or TransportChangePasswordAction's list of what it supports).
 * A malformed hash of a supported algorithm is refused too, where Elasticsearch stores it and fails every login.
 */
export function assertStorablePasswordHash(hash: string): void {
  const hasher = resolveHasher(hash);
  if (hasher.stored && hasher.wellFormed(hash)) return;
  throw new IllegalArgumentError(
    'The provided password hash is not a hash or it could not be resolved to a supported hash algorithm. ' +
      `The supported password hash algorithms are [${STORED_PASSWORD_HASHERS.join(', ')}]`,
  );
}

/** Checks a password against a stored hash: `verifyPassword`, or a stand-in that counts the checks in tests. */
export type PasswordVerifier = (password: string, hash: string) => Promise<boolean>;

/** `Hasher.verifyHash`, except that what cannot be resolved, or is clear text, never matches and costs no hashing. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const hasher = verifiableHasher(hash);
  return hasher === undefined ? false : hasher.verify(password, hash);
}

/** Whether a failed check against this hash already cost at least the dummy bcrypt check (realm.ts). */
export function failureCostsDefaultBcrypt(hash: string): boolean {
  return verifiableHasher(hash)?.atLeastDefaultCost ?? false;
}
