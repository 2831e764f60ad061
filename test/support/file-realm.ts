import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '../../functions/security/authc/passwords/bcrypt';
import { recordSecret } from './secrets-audit';

/** The file realm every HTTP test runs with: users in Elasticsearch's formats, bcrypt hashed. */
export const USERS = {
  elastic: { username: 'elastic', password: 'elastic-test-password' },
  /** Holds `manage_token` through a role of roles.yml. */
  tokenClient: { username: 'token_client', password: 'token-client-password' },
  /** A file-realm superuser. */
  admin: { username: 'file_admin', password: 'file-admin-password' },
  /** Authenticates, but no role grants a token privilege. */
  reader: { username: 'reader', password: 'reader-password' },
} as const;

for (const user of Object.values(USERS)) recordSecret('password', user.password);

/** Writes `users`, `users_roles` and `roles.yml` into a new directory (bcrypt cost 4: fast, still bcrypt). */
export async function writeFileRealm(): Promise<string> {
  const directory = mkdtempSync(join(tmpdir(), 'es-config-'));
  const fileUsers = [USERS.tokenClient, USERS.admin, USERS.reader];
  const lines = await Promise.all(fileUsers.map(async (u) => `${u.username}:${await hashPassword(u.password, 4)}`));
  writeFileSync(join(directory, 'users'), `${lines.join('\n')}\n`);
  writeFileSync(
    join(directory, 'users_roles'),
    ['superuser:file_admin', 'token_manager:token_client', 'monitoring:reader,token_client', ''].join('\n'),
  );
  writeFileSync(
    join(directory, 'roles.yml'),
    ['token_manager:', '  cluster: [manage_token]', 'monitoring:', '  cluster:', '    - monitor', '  indices: []', ''].join('\n'),
  );
  return directory;
}
