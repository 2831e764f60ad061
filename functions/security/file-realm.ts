import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Authentication, authenticatedByRealm, type RealmRef, type User } from './authentication';
import { isBcryptHash } from './bcrypt';
import type { Realm } from './realm';
import { VerifiedPasswordCache } from './verified-passwords';

export const FILE_REALM: RealmRef = { name: 'default_file', type: 'file' };

/**
 * Parses Elasticsearch's `users` file: one `username:hash` a line. Only bcrypt hashes are accepted
 * (the contract's format); other lines are reported back so the caller can say which were skipped.
 */
export function parseUsersFile(text: string): { users: Map<string, string>; skipped: number[] } {
  const users = new Map<string, string>();
  const skipped: number[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    const username = line.slice(0, colon);
    const hash = line.slice(colon + 1);
    if (colon <= 0 || !isBcryptHash(hash)) {
      skipped.push(index + 1);
      return;
    }
    users.set(username, hash);
  });
  return { users, skipped };
}

/** Parses Elasticsearch's `users_roles` file: one `role:user1,user2` a line. Returns roles by user. */
export function parseUsersRolesFile(text: string): Map<string, string[]> {
  const rolesByUser = new Map<string, string[]>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const colon = line.indexOf(':');
    if (line === '' || line.startsWith('#') || colon <= 0) continue;
    const role = line.slice(0, colon).trim();
    for (const user of line.slice(colon + 1).split(',')) {
      const name = user.trim();
      if (name === '') continue;
      rolesByUser.set(name, [...(rolesByUser.get(name) ?? []), role]);
    }
  }
  return rolesByUser;
}

export class FileRealm implements Realm {
  readonly ref = FILE_REALM;

  constructor(
    private readonly users: ReadonlyMap<string, string>,
    private readonly rolesByUser: ReadonlyMap<string, readonly string[]>,
    // As in the native realm: a file-realm caller (a service calling with Basic on every request) would
    // otherwise pay bcrypt each time; Elasticsearch caches file-realm credentials the same way.
    private readonly passwords = new VerifiedPasswordCache(),
  ) {}

  /** Reads `users` and `users_roles` from an Elasticsearch config directory; a missing file is an empty one. */
  static fromDirectory(directory: string): FileRealm {
    const { users } = parseUsersFile(readOptional(join(directory, 'users')));
    return new FileRealm(users, parseUsersRolesFile(readOptional(join(directory, 'users_roles'))));
  }

  /** Whether the `users` file has this user (the user API refuses to manage it). */
  has(username: string): boolean {
    return this.users.has(username);
  }

  async authenticate(username: string, password: string): Promise<Authentication | undefined> {
    const hash = this.users.get(username);
    if (hash === undefined || !(await this.passwords.matches(username, password, hash))) return undefined;
    return authenticatedByRealm(this.userOf(username), FILE_REALM);
  }

  async lookup(username: string): Promise<User | undefined> {
    return this.users.has(username) ? this.userOf(username) : undefined;
  }

  private userOf(username: string): User {
    return { username, roles: this.rolesByUser.get(username) ?? [], full_name: null, email: null, metadata: {}, enabled: true };
  }
}

export function readOptional(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}
