import { isValidName } from '../../validation';
import { authenticatedByRealm, type RealmRef, type User } from '../authentication';
import { failureCostsDefaultBcrypt } from '../passwords/password-hashes';
import { VerifiedPasswordCache } from '../passwords/verified-passwords';
import type { Realm, RealmResult } from '../realm';
import type { NativeUser, UserStore } from './user-store';

export const NATIVE_REALM: RealmRef = { name: 'default_native', type: 'native' };

/** The user as the APIs show it: everything but the password hash. */
function withoutPassword({ passwordHash: _, ...user }: NativeUser): User {
  return user;
}

/**
 * `default_native`: the users of the user API. Every authentication reads the user (one consistent GetItem),
 * so a deleted or disabled user is refused on the very next request; only the bcrypt check is cached.
 */
export class NativeRealm implements Realm {
  readonly ref = NATIVE_REALM;

  constructor(
    private readonly users: UserStore,
    private readonly passwords = new VerifiedPasswordCache(),
  ) {}

  async authenticate(username: string, password: string): Promise<RealmResult> {
    // No name the user API could have created: no read (and no storage error for a 3 KB Basic username).
    if (!isValidName(username)) return undefined;
    const user = await this.users.get(username);
    if (user === undefined || !user.enabled) return undefined;
    if (await this.passwords.matches(username, password, user.passwordHash)) {
      return authenticatedByRealm(withoutPassword(user), NATIVE_REALM);
    }
    // A hash cheaper than the dummy's (PBKDF2, a low bcrypt cost, or one refused unhashed) leaves the chain to pay the dummy.
    return failureCostsDefaultBcrypt(user.passwordHash) ? 'failed' : undefined;
  }

  async lookup(username: string): Promise<User | undefined> {
    if (!isValidName(username)) return undefined;
    const user = await this.users.get(username);
    return user === undefined || !user.enabled ? undefined : withoutPassword(user);
  }
}
