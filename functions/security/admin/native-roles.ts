import { IllegalArgumentError } from '../../errors';
import { SUPERUSER } from '../authz/built-in-roles';
import type { NativeRole, RoleDescriptor, RoleStore } from '../authz/role-store';
import { isBuiltInRole, SUPERUSER_ROLE } from '../authz/roles';
import { isValidName } from '../validation';
import { listWithBuiltIn } from './named-listing';

/** A lone string where Elasticsearch reads an array of strings (`"names": "*"`) is shown as the array it parsed. */
const asArray = (value: unknown) => (typeof value === 'string' ? [value] : value);

/**
 * An index privilege entry as `RoleDescriptor.IndicesPrivileges.toXContent` writes it: `names`, `privileges`,
 * `field_security`, `query` (as the JSON text Elasticsearch keeps it as), then `allow_restricted_indices`,
 * false unless set. Keys Elasticsearch does not know are kept, last.
 */
function describeIndicesPrivileges(entry: unknown): unknown {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return entry;
  const { names, privileges, field_security, query, allow_restricted_indices, ...rest } = entry as Record<string, unknown>;
  return {
    ...(names !== undefined && { names: asArray(names) }),
    ...(privileges !== undefined && { privileges: asArray(privileges) }),
    ...(field_security !== undefined && { field_security }),
    ...(query !== undefined && { query: typeof query === 'string' ? query : JSON.stringify(query) }),
    allow_restricted_indices: allow_restricted_indices ?? false,
    ...rest,
  };
}

/** A role in the get-role response: the keys in Elasticsearch's order, the empty ones filled in as it does. */
export function describeRole({ descriptor }: NativeRole): Record<string, unknown> {
  const { cluster, global, indices, applications, run_as, metadata, remote_indices, remote_cluster, description, ...rest } =
    descriptor;
  return {
    cluster,
    ...(global !== undefined && { global }),
    indices: Array.isArray(indices) ? indices.map(describeIndicesPrivileges) : [],
    applications: applications ?? [],
    run_as: run_as ?? [],
    metadata: metadata ?? {},
    transient_metadata: { enabled: true },
    ...(remote_indices !== undefined && { remote_indices }),
    ...(remote_cluster !== undefined && { remote_cluster }),
    ...rest,
    ...(description !== undefined && { description }),
  };
}

/** The role API's rules (Elasticsearch's TransportPutRoleAction, TransportGetRolesAction, TransportDeleteRoleAction). */
export class NativeRoles {
  constructor(private readonly store: RoleStore) {}

  /** Validated by assertValidPutRoleRequest before authorization; the built-in role can never reach here. */
  async put(name: string, descriptor: RoleDescriptor): Promise<{ role: { created: boolean } }> {
    return { role: { created: await this.store.put({ name, descriptor }) } };
  }

  /**
   * The roles named (unknown names left out), or with no names every role: the built-in `superuser`, then
   * the native roles by name. Roles of the roles file are not listed, as in Elasticsearch.
   */
  async get(names: readonly string[]): Promise<NativeRole[]> {
    return listWithBuiltIn(names, { name: SUPERUSER_ROLE, entry: SUPERUSER }, (role) => role.name, this.store);
  }

  /** True when the role existed. Users holding it lose its privileges on their next request. */
  async delete(name: string): Promise<boolean> {
    if (isBuiltInRole(name)) throw new IllegalArgumentError(`role [${name}] is reserved and cannot be deleted`);
    if (!isValidName(name)) return false;
    return this.store.delete(name);
  }
}
