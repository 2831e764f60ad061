import { FileRealm } from '../authc/file/file-realm';
import type { RoleDescriptor } from '../authz/role-store';

/** What an Elasticsearch config directory (ES_PATH_CONF) holds for this service, and what it had to skip. */
export interface ConfigDirectory {
  readonly realm: FileRealm;
  readonly roles: Map<string, RoleDescriptor>;
  /** One line for each entry skipped, to be logged once at start; none quotes a password hash. */
  readonly warnings: string[];
}

/** The users, their roles and the roles of a config directory, parsed and checked: what synth writes as JSON. */
export interface PreparedConfigDirectory {
  readonly users: [username: string, hash: string][];
  readonly usersRoles: [username: string, roles: string[]][];
  readonly roles: [name: string, descriptor: RoleDescriptor][];
}

/** The file realm and roles of parsed files. */
export function configDirectoryOf(prepared: PreparedConfigDirectory, warnings: string[] = []): ConfigDirectory {
  return {
    realm: new FileRealm(new Map(prepared.users), new Map(prepared.usersRoles)),
    roles: new Map(prepared.roles),
    warnings,
  };
}

/** A config directory as it is now: read once, or re-read when its files change (watched-config-directory.ts). */
export interface ConfigDirectorySource {
  current(): ConfigDirectory;
  /** Resolves once what the latest re-read set off is done (LC-1: its changed users' tokens refused). */
  settled?(): Promise<void>;
}
