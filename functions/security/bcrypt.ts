import bcrypt from 'bcryptjs';

/** Elasticsearch's cost for new hashes (`xpack.security.authc.password_hashing.algorithm: bcrypt`). */
export const BCRYPT_COST = 10;

const BCRYPT_HASH = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;

export function isBcryptHash(value: string): boolean {
  return BCRYPT_HASH.test(value);
}

/**
 * `$2y$` (PHP, htpasswd) is the same algorithm as `$2b$`; bcryptjs only knows the latter spellings,
 * and Elasticsearch's `users` files may hold either.
 */
function normalize(hash: string): string {
  return hash.startsWith('$2y$') ? `$2b$${hash.slice(4)}` : hash;
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (!isBcryptHash(hash)) return false;
  return bcrypt.compare(password, normalize(hash));
}

export async function hashPassword(password: string, cost = BCRYPT_COST): Promise<string> {
  return bcrypt.hash(password, cost);
}
