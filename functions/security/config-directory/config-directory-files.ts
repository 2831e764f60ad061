import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigurationError } from '../../config';
import { parseUsersFile, parseUsersRolesFile } from '../authc/file/file-realm';
import { parseRolesFile } from '../authz/roles-file';
import { type ConfigDirectory, configDirectoryOf, type PreparedConfigDirectory } from './config-directory';

/**
 * The file realm's files as Elasticsearch writes them (`users`, `users_roles`, `roles.yml`), parsed: by the
 * locally run service at start and at every change, and by `cdk synth` for the copy it deploys
 * (prepared-config-directory.ts), so a deployed function parses no YAML.
 */

/** Elasticsearch's messages for the lines it skips (FileUserPasswdStore), never quoting a hash. */
function usersFileWarnings(path: string, skipped: readonly number[], unsupportedHash: readonly number[]): string[] {
  return skipped.map((line) =>
    unsupportedHash.includes(line)
      ? `invalid entry in users file [${path}], line [${line}]: the password hash could not be resolved to a supported hash algorithm. skipping...`
      : `invalid entry in users file [${path}], line [${line}]. skipping...`,
  );
}

/**
 * Reads `users`, `users_roles` and `roles.yml`; each file may be missing, the directory may not: a setting
 * that names a directory that is not there is a mistake, and starting without its users would hide it.
 */
export function prepareConfigDirectory(directory: string): { prepared: PreparedConfigDirectory; warnings: string[] } {
  if (!statSync(directory, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ConfigurationError(`ES_PATH_CONF: [${directory}] is not a directory (it holds users, users_roles and roles.yml)`);
  }
  const path = (name: string) => resolve(join(directory, name));
  const { users, skipped, unsupportedHash } = parseUsersFile(readOptional(path('users')));
  const rolesFile = parseRolesFile(readOptional(path('roles.yml')), path('roles.yml'));
  return {
    prepared: {
      users: [...users],
      usersRoles: [...parseUsersRolesFile(readOptional(path('users_roles')))],
      roles: [...rolesFile.roles],
    },
    warnings: [...usersFileWarnings(path('users'), skipped, unsupportedHash), ...rolesFile.warnings],
  };
}

/** The file realm and roles of a config directory's files, with what had to be skipped. */
export function loadConfigDirectory(directory: string): ConfigDirectory {
  const { prepared, warnings } = prepareConfigDirectory(directory);
  return configDirectoryOf(prepared, warnings);
}

function readOptional(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}
