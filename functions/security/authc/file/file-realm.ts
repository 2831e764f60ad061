import { authenticatedByRealm, type RealmRef, type User } from '../authentication';
import { failureCostsDefaultBcrypt, verifiableHasher } from '../passwords/password-hashes';
import { VerifiedPasswordCache } from '../passwords/verified-passwords';
import type { Realm, RealmResult } from '../realm';

export const FILE_REALM: RealmRef = { name: 'default_file', type: 'file' };

/**
 * Parses Elasticsearch's `users` file: one `username:hash` a line, in any hash Elasticsearch's Hasher resolves
 * (bcrypt at costs 4 to 14, PBKDF2, PBKDF2_STRETCH, SSHA256, SHA1, MD5; password-hashes.ts). Other lines are
 * reported back by number so the caller can say which were skipped: `skipped` holds them all, `unsupportedHash`
 * those whose only fault is the hash: clear text, malformed, or a cost no Hasher variant has (which would make
 * every login of the user cost what the file's author chose).
 */
export function parseUsersFile(text: string): { users: Map<string, string>; skipped: number[]; unsupportedHash: number[] } {
  const users = new Map<string, string>();
  const skipped: number[] = [];
  const unsupportedHash: number[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    const username = line.slice(0, colon);
    const hash = line.slice(colon + 1);
    if (colon <= 0 || hash === '') skipped.push(index + 1);
    else if (verifiableHasher(hash) === undefined) {
      skipped.push(index + 1);
      unsupportedHash.push(index + 1);
    } else users.set(username, hash);
  });
  return { users, skipped, unsupportedHash };
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

  /** Whether the `users` file has this user (the user API refuses to manage it). */
  has(username: string): boolean {
    return this.users.has(username);
  }

  /** LC-1: the users of this realm whose entry of the `users` file is another in `next`, or is gone. */
  changedIn(next: FileRealm): string[] {
    return [...this.users].filter(([username, hash]) => next.users.get(username) !== hash).map(([username]) => username);
  }

  async authenticate(username: string, password: string): Promise<RealmResult> {
    const hash = this.users.get(username);
    if (hash === undefined) return undefined;
    if (await this.passwords.matches(username, password, hash)) return authenticatedByRealm(this.userOf(username), FILE_REALM);
    // A hash cheaper than the dummy's leaves the chain to pay the dummy check (realm.ts).
    return failureCostsDefaultBcrypt(hash) ? 'failed' : undefined;
  }

  async lookup(username: string): Promise<User | undefined> {
    return this.users.has(username) ? this.userOf(username) : undefined;
  }

  private userOf(username: string): User {
    return { username, roles: this.rolesByUser.get(username) ?? [], full_name: null, email: null, metadata: {}, enabled: true };
  }
}

/** The file realm as its files are now: read once, or re-read when they change (security/config-directory). */
export interface FileRealmSource {
  current(): { readonly realm: FileRealm };
  /** Resolves once what the latest re-read set off is done (LC-1: its users' tokens refused); none: nothing to wait for. */
  settled?(): Promise<void>;
}

/** The file realm of a config directory: each request authenticates against the files as they are now. */
export class WatchedFileRealm implements Realm {
  readonly ref = FILE_REALM;

  constructor(private readonly files: FileRealmSource) {}

  async authenticate(username: string, password: string): Promise<RealmResult> {
    const { realm } = this.files.current();
    // A re-read that changed users answers once their tokens are refused (LC-1), never before.
    await this.files.settled?.();
    return realm.authenticate(username, password);
  }

  lookup(username: string): Promise<User | undefined> {
    return this.files.current().realm.lookup(username);
  }

  /** Whether the `users` file has this user now (the user API refuses to manage it). */
  has(username: string): boolean {
    return this.files.current().realm.has(username);
  }
}
