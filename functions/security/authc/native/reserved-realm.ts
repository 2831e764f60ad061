import { createHash, timingSafeEqual } from 'node:crypto';
import { type Authentication, authenticatedByRealm, type RealmRef, type User } from '../authentication';
import { hashPassword } from '../passwords/bcrypt';
import { VerifiedPasswordCache } from '../passwords/verified-passwords';
import { type Realm, UNKNOWN_USER_HASH } from '../realm';

export const RESERVED_REALM: RealmRef = { name: 'reserved', type: 'reserved' };
export const ELASTIC_USER = 'elastic';

/** `elastic` as Elasticsearch shows it (authenticate, get users). */
export const ELASTIC: User = {
  username: ELASTIC_USER,
  roles: ['superuser'],
  full_name: null,
  email: null,
  metadata: { _reserved: true },
  enabled: true,
};

/**
 * The built-in `elastic` superuser. Its password comes from ELASTIC_PASSWORD (or the deployment's secret) and
 * is checked as every other password is: against a bcrypt hash at Elasticsearch's cost, made from it at the first
 * authentication of `elastic` (so a cold start that never sees `elastic` pays nothing), with the instance's
 * memory of successes. A wrong guess therefore costs one bcrypt operation, as for any other user, where a plain
 * digest would make online guessing of the superuser about a hundred times cheaper. The request that makes the
 * hash compares what it was given with the password by digest, in constant time: the hash is its bcrypt
 * operation, so the first authentication of an instance (a cold start, or the first after the secret is read
 * again) costs one, not two. Without a password the user exists but cannot authenticate, as in Elasticsearch
 * before the bootstrap password is set; a guess then still pays the dummy check.
 */
export class ReservedRealm implements Realm {
  readonly ref = RESERVED_REALM;
  private passwordHash: Promise<string> | undefined;
  private password: string | undefined;

  constructor(
    elasticPassword: string | undefined,
    private readonly passwords = new VerifiedPasswordCache(),
  ) {
    this.password = elasticPassword;
  }

  async authenticate(username: string, password: string): Promise<Authentication | undefined | 'rejected'> {
    if (username !== ELASTIC_USER) return undefined;
    if (this.password === undefined && this.passwordHash === undefined) {
      await this.passwords.matches(ELASTIC_USER, password, UNKNOWN_USER_HASH); // the dummy's cost; its answer is ignored
      return 'rejected';
    }
    const configured = this.passwordHash === undefined ? this.password : undefined;
    const hash = await this.hashOfPassword();
    const matches =
      configured === undefined
        ? await this.passwords.matches(ELASTIC_USER, password, hash)
        : this.madeTheHashFor(configured, password, hash);
    return matches ? authenticatedByRealm(ELASTIC, RESERVED_REALM) : 'rejected';
  }

  async lookup(username: string): Promise<User | undefined> {
    return username === ELASTIC_USER ? ELASTIC : undefined;
  }

  /** The check of the request that made the hash (its bcrypt operation): by digest, remembered when right. */
  private madeTheHashFor(configured: string, presented: string, hash: string): boolean {
    const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
    const matches = timingSafeEqual(digest(configured), digest(presented));
    if (matches) this.passwords.remember(ELASTIC_USER, presented, hash);
    return matches;
  }

  /** Hashed once, on first use; the clear password is then dropped, unless hashing failed (tried again next time). */
  private hashOfPassword(): Promise<string> {
    this.passwordHash ??= hashPassword(this.password ?? '').then(
      (hash) => {
        this.password = undefined;
        return hash;
      },
      (error: unknown) => {
        this.passwordHash = undefined;
        throw error;
      },
    );
    return this.passwordHash;
  }
}
