import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '../../../functions/config';
import { hashPassword } from '../../../functions/security/authc/passwords/bcrypt';
import { loadConfigDirectory } from '../../../functions/security/config-directory/config-directory-files';

describe('the file realm config directory (ES_PATH_CONF)', () => {
  it('a directory that does not exist refuses the start, in one line that names the setting', () => {
    expect(() => loadConfigDirectory('/nonexistent')).toThrow(
      new ConfigurationError('ES_PATH_CONF: [/nonexistent] is not a directory (it holds users, users_roles and roles.yml)'),
    );
  });

  it('each users line skipped is warned once, by number, and no warning quotes a hash', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'es-config-warn-'));
    const pbkdf2 = '{PBKDF2}10000$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNo';
    const lines = [
      `alice:${await hashPassword('secret', 4)}`,
      `bob:${pbkdf2}`,
      '# comment',
      'broken',
      `carol:{SSHA256}abcdef`,
      '',
    ];
    writeFileSync(join(directory, 'users'), lines.join('\n'));
    const { realm, warnings } = loadConfigDirectory(directory);
    const users = join(directory, 'users');
    expect(warnings).toEqual([
      `invalid entry in users file [${users}], line [2]: the password hash could not be resolved to a supported hash algorithm. skipping...`,
      `invalid entry in users file [${users}], line [4]. skipping...`,
      `invalid entry in users file [${users}], line [5]: the password hash could not be resolved to a supported hash algorithm. skipping...`,
    ]);
    expect(warnings.join('\n')).not.toMatch(/PBKDF2|SSHA256|abcdef/);
    expect(realm.has('alice')).toBe(true);
    expect(realm.has('bob')).toBe(false);
  });

  it('the roles file warnings come with the users file warnings, and missing files are empty ones', () => {
    const directory = mkdtempSync(join(tmpdir(), 'es-config-roles-'));
    writeFileSync(join(directory, 'roles.yml'), 'typo: {cluster: [no_such_priv]}\nok: {cluster: [monitor]}\n');
    const { roles, warnings } = loadConfigDirectory(directory);
    expect([...roles.keys()]).toEqual(['ok']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^invalid role definition \[typo\] in roles file \[.*roles\.yml\]\. unknown cluster privilege \[no_such_priv\]/,
    );
  });
});
