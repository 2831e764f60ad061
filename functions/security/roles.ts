/**
 * Roles and the cluster privileges they grant. Only cluster privileges matter to this service, so the
 * roles file is read for its `cluster` lists and every other key of a role is ignored.
 */

export type ClusterPrivilege = string;

export const SUPERUSER_ROLE = 'superuser';

/** The built-in roles that cannot be redefined. */
const BUILT_IN_ROLES: ReadonlyMap<string, readonly ClusterPrivilege[]> = new Map([[SUPERUSER_ROLE, ['all']]]);

export function isBuiltInRole(name: string): boolean {
  return BUILT_IN_ROLES.has(name);
}

/** Where native roles (the role API's) are read from: only the roles that are neither built in nor in the file. */
export interface NativeRoleSource {
  clusterPrivileges(names: readonly string[]): Promise<Map<string, readonly ClusterPrivilege[]>>;
}

/**
 * Resolves role names as Elasticsearch does: built-in roles first, then the roles file, then native roles,
 * so a file role shadows a native role of the same name.
 */
export class RoleRegistry {
  constructor(
    private readonly fileRoles: ReadonlyMap<string, readonly ClusterPrivilege[]> = new Map(),
    private readonly nativeRoles?: NativeRoleSource,
  ) {}

  /**
   * Whether any of `roles` grants any of `privileges`. Built-in and file roles are answered from memory;
   * native roles cost one read, made only when those were not enough. Unknown roles grant nothing.
   */
  async grantsAny(roles: readonly string[], privileges: readonly ClusterPrivilege[]): Promise<boolean> {
    const held = await this.clusterPrivileges(roles, privileges);
    return privileges.some((privilege) => held.has(privilege));
  }

  /** The cluster privileges `roles` grant; with `enough`, stops before reading native roles once one of those is held. */
  async clusterPrivileges(roles: readonly string[], enough: readonly ClusterPrivilege[] = []): Promise<Set<ClusterPrivilege>> {
    const privileges = new Set<ClusterPrivilege>();
    const unresolved: string[] = [];
    for (const role of roles) {
      const known = BUILT_IN_ROLES.get(role) ?? this.fileRoles.get(role);
      if (known === undefined) unresolved.push(role);
      for (const privilege of known ?? []) privileges.add(privilege);
    }
    if (unresolved.length === 0 || this.nativeRoles === undefined || enough.some((p) => privileges.has(p))) return privileges;
    for (const granted of (await this.nativeRoles.clusterPrivileges(unresolved)).values()) {
      for (const privilege of granted) privileges.add(privilege);
    }
    return privileges;
  }
}

/**
 * Reads the `cluster` list of each role from a `roles.yml` in Elasticsearch's shape:
 *
 *   token_manager:
 *     cluster: [manage_token, 'monitor']
 *   admin:
 *     cluster:
 *       - manage_security
 *
 * A small reader rather than a YAML dependency: the shape is fixed and only one key is read.
 */
export function parseRolesFile(text: string): Map<string, ClusterPrivilege[]> {
  const roles = new Map<string, ClusterPrivilege[]>();
  let role: string | undefined;
  let inBlockList = false;
  let clusterIndent = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '');
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      role = unquote(line.replace(/:\s*(\{\s*\})?\s*$/, ''));
      roles.set(role, []);
      inBlockList = false;
      continue;
    }
    if (role === undefined) continue;
    const item = /^\s*-\s*(.+)$/.exec(line);
    if (inBlockList && item?.[1] !== undefined && indent >= clusterIndent) {
      roles.get(role)?.push(unquote(item[1]));
      continue;
    }
    inBlockList = false;
    const cluster = /^\s*cluster\s*:\s*(.*)$/.exec(line);
    if (cluster === null) continue;
    const value = (cluster[1] ?? '').trim();
    if (value.startsWith('[')) {
      const privileges = value
        .replace(/^\[|\]$/g, '')
        .split(',')
        .map(unquote)
        .filter((p) => p !== '');
      roles.get(role)?.push(...privileges);
    } else {
      inBlockList = true;
      clusterIndent = indent;
    }
  }
  return roles;
}

function unquote(value: string): string {
  return value.trim().replace(/^(['"])(.*)\1$/, '$2');
}
