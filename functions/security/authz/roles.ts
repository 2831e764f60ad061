import type { ClusterAction } from './actions';
import { privilegeGrants } from './cluster-privileges';

/**
 * Roles and the cluster privileges they grant. Only cluster privileges matter to this service: the other
 * fields of a role are kept and shown, never enforced.
 */

export type ClusterPrivilege = string;

export const SUPERUSER_ROLE = 'superuser';

/** The built-in roles that cannot be redefined. */
const BUILT_IN_ROLES: ReadonlyMap<string, readonly ClusterPrivilege[]> = new Map([[SUPERUSER_ROLE, ['all']]]);

export function isBuiltInRole(name: string): boolean {
  return BUILT_IN_ROLES.has(name);
}

/** The roles file's roles by name, as they are now (the file is re-read when it changes). */
export type FileRoleLookup = Pick<ReadonlyMap<string, readonly ClusterPrivilege[]>, 'get'>;

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
    private readonly fileRoles: FileRoleLookup = new Map(),
    private readonly nativeRoles?: NativeRoleSource,
  ) {}

  /**
   * Whether any of `roles` grants any of `privileges` (the token authorizer's `anyPrivilege`). Built-in and file
   * roles are answered from memory; native roles cost one read, made only when those were not enough.
   */
  async grantsAny(roles: readonly string[], privileges: readonly ClusterPrivilege[]): Promise<boolean> {
    return this.grants(roles, { name: '', grantedBy: privileges });
  }

  /**
   * Whether any of `roles` holds a privilege that grants `action` (a predefined name or an action pattern).
   * Built-in and file roles are answered from memory; native roles cost one read, made only when those were not
   * enough. Unknown roles grant nothing.
   */
  async grants(roles: readonly string[], action: ClusterAction): Promise<boolean> {
    const granting = (privilege: ClusterPrivilege) => privilegeGrants(privilege, action);
    const held = await this.clusterPrivileges(roles, granting);
    return [...held].some(granting);
  }

  /** The cluster privileges `roles` grant; with `enough`, stops before reading native roles once one held is enough. */
  async clusterPrivileges(
    roles: readonly string[],
    enough: (privilege: ClusterPrivilege) => boolean = () => false,
  ): Promise<Set<ClusterPrivilege>> {
    const privileges = new Set<ClusterPrivilege>();
    const unresolved: string[] = [];
    for (const role of roles) {
      const known = BUILT_IN_ROLES.get(role) ?? this.fileRoles.get(role);
      if (known === undefined) unresolved.push(role);
      for (const privilege of known ?? []) privileges.add(privilege);
    }
    if (unresolved.length === 0 || this.nativeRoles === undefined || [...privileges].some(enough)) return privileges;
    for (const granted of (await this.nativeRoles.clusterPrivileges(unresolved)).values()) {
      for (const privilege of granted) privileges.add(privilege);
    }
    return privileges;
  }
}
