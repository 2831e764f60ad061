/** Elasticsearch's cost for new hashes (`xpack.security.authc.password_hashing.algorithm: bcrypt`). */
export const BCRYPT_COST = 10;

/**
 * `$2y$` (PHP, htpasswd) is the same algorithm as `$2b$`; bcryptjs only knows the latter spellings,
 * and Elasticsearch's `users` files may hold either.
 */
function normalize(hash: string): string {
  return hash.startsWith('$2y$') ? `$2b$${hash.slice(4)}` : hash;
}

/** Where bcrypt runs: on the calling thread (Lambda, one request per instance), or elsewhere (the local API). */
export interface PasswordHashing {
  compare(password: string, hash: string): Promise<boolean>;
  hash(password: string, cost: number): Promise<string>;
}

/**
 * Loaded at the first password a process checks or hashes: a function answering tokens only (most requests)
 * never evaluates bcryptjs, which keeps it out of every cold start that has no password in it.
 */
const bcryptjs = () => import('./bcryptjs').then((module) => module.default);

const IN_THREAD: PasswordHashing = {
  compare: async (password, hash) => (await bcryptjs()).compare(password, hash),
  hash: async (password, cost) => (await bcryptjs()).hash(password, cost),
};
let hashing: PasswordHashing = IN_THREAD;

/** A process-wide choice, made once by the process that serves (infra/local/server.ts). */
export function usePasswordHashing(next: PasswordHashing = IN_THREAD): void {
  hashing = next;
}

/** A bcrypt check, for a hash already resolved and checked by password-hashes.ts (which bounds its cost). */
export async function compareBcrypt(password: string, hash: string): Promise<boolean> {
  return hashing.compare(password, normalize(hash));
}

export async function hashPassword(password: string, cost = BCRYPT_COST): Promise<string> {
  return hashing.hash(password, cost);
}
