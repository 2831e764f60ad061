/**
 * Roles and the cluster privileges they grant. Only cluster privileges matter to this service, so the
 * roles file is read for its `cluster` lists and every other key of a role is ignored.
 */

export type ClusterPrivilege = string;

export const SUPERUSER_ROLE = 'superuser';

/** The built-in roles that cannot be redefined. */
const BUILT_IN_ROLES: ReadonlyMap<string, readonly ClusterPrivilege[]> = new Map([[SUPERUSER_ROLE, ['all']]]);

export class RoleRegistry {
  constructor(private readonly fileRoles: ReadonlyMap<string, readonly ClusterPrivilege[]> = new Map()) {}

  /** Unknown roles grant nothing, as in Elasticsearch. */
  clusterPrivileges(roles: readonly string[]): Set<ClusterPrivilege> {
    const privileges = new Set<ClusterPrivilege>();
    for (const role of roles) {
      for (const privilege of BUILT_IN_ROLES.get(role) ?? this.fileRoles.get(role) ?? []) privileges.add(privilege);
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
