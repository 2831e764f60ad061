import type { Authentication, RealmRef, User } from './authentication';
import { type PasswordVerifier, verifyPassword } from './passwords/password-hashes';

/**
 * What a realm of the chain answers:
 * - an Authentication when the credentials are good;
 * - `undefined` when the realm does not know the user (the chain goes on);
 * - `'failed'` when the realm knows the user and checked the password, which was wrong: the chain goes on,
 *   as in Elasticsearch, and knows that a check at least as costly as the dummy's was paid for (a realm whose
 *   check was cheaper answers `undefined`, and the chain pays the dummy);
 * - `'rejected'` when the realm owns the user and the credentials are wrong. The reserved realm uses
 *   this so that `elastic` can never be shadowed by a file user of the same name.
 */
export type RealmResult = Authentication | undefined | 'failed' | 'rejected';

export interface Realm {
  readonly ref: RealmRef;
  authenticate(username: string, password: string): Promise<RealmResult>;
  /** The user by name alone, for run-as (Elasticsearch's Realm.lookupUser); undefined when unknown or disabled. */
  lookup(username: string): Promise<User | undefined>;
}

/**
 * A bcrypt hash at Elasticsearch's cost (10) of a random password nobody knows. An unknown user's password
 * is checked against it, so that "no such user" costs the same bcrypt as "wrong password" and the answer's
 * timing does not tell which names exist (user enumeration).
 */
export const UNKNOWN_USER_HASH = '$2b$10$sp57KsqTgIgRph/HaxjNRuGInA3ti.d5Yr5qRs.Z//VSlSqU7sG4y';

export class RealmChain {
  constructor(
    readonly realms: readonly Realm[],
    private readonly verify: PasswordVerifier = verifyPassword,
  ) {}

  /**
   * Every failed attempt costs one bcrypt check, whether a realm knew the user or none did: the check is
   * spent here once, when no realm spent it, rather than in each realm, so a native user's cached success
   * is not slowed by a file-realm check that cannot match.
   */
  async authenticate(username: string, password: string): Promise<Authentication | undefined> {
    let hashed = false;
    for (const realm of this.realms) {
      const result = await realm.authenticate(username, password);
      if (result === 'rejected') return undefined;
      if (result === 'failed') hashed = true;
      else if (result !== undefined) return result;
    }
    if (!hashed) await this.verify(password, UNKNOWN_USER_HASH);
    return undefined;
  }

  /** The first realm of the chain that knows the user, as Elasticsearch looks up a run-as user. */
  async lookup(username: string): Promise<{ user: User; realm: RealmRef } | undefined> {
    for (const realm of this.realms) {
      const user = await realm.lookup(username);
      if (user !== undefined) return { user, realm: realm.ref };
    }
    return undefined;
  }
}
