import { createHash, timingSafeEqual } from 'node:crypto';
import { type Authentication, authenticatedByRealm, type RealmRef, type User } from './authentication';
import type { Realm } from './realm';

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
 * The built-in `elastic` superuser. Its password comes from ELASTIC_PASSWORD (or the deployment's
 * secret); only its SHA-256 is held, and it is compared in constant time. Without a password the
 * user exists but cannot authenticate, as in Elasticsearch before the bootstrap password is set.
 */
export class ReservedRealm implements Realm {
  readonly ref = RESERVED_REALM;
  private readonly passwordDigest: Buffer | undefined;

  constructor(elasticPassword: string | undefined) {
    this.passwordDigest = elasticPassword === undefined ? undefined : digest(elasticPassword);
  }

  async authenticate(username: string, password: string): Promise<Authentication | undefined | 'rejected'> {
    if (username !== ELASTIC_USER) return undefined;
    if (this.passwordDigest === undefined || !timingSafeEqual(digest(password), this.passwordDigest)) return 'rejected';
    return authenticatedByRealm(ELASTIC, RESERVED_REALM);
  }

  async lookup(username: string): Promise<User | undefined> {
    return username === ELASTIC_USER ? ELASTIC : undefined;
  }
}

function digest(password: string): Buffer {
  return createHash('sha256').update(password, 'utf8').digest();
}
