import { SUPERUSER } from '../built-in-roles';
import type { RoleDescriptor, RoleStore } from '../role-store';

/** The roles file's roles by name, whole (the file is re-read when it changes). */
export type FileRoleDescriptors = Pick<ReadonlyMap<string, RoleDescriptor>, 'get'>;

/**
 * Whole role descriptors by name, resolved as authorization resolves roles (roles.ts): the built-in role first,
 * then the roles file, then native roles, so a file role shadows a native role of the same name. What the
 * privilege APIs read to answer what a caller may do; native roles cost one consistent BatchGetItem a hundred.
 */
export class RoleDescriptors {
  constructor(
    private readonly fileRoles: FileRoleDescriptors,
    private readonly store: Pick<RoleStore, 'getMany'>,
  ) {}

  /** The descriptors of those of `names` that exist, in the order of `names`; unknown roles are left out. */
  async of(names: readonly string[]): Promise<RoleDescriptor[]> {
    const unique = [...new Set(names)];
    const known = new Map<string, RoleDescriptor>();
    for (const name of unique) {
      const descriptor = name === SUPERUSER.name ? SUPERUSER.descriptor : this.fileRoles.get(name);
      if (descriptor !== undefined) known.set(name, descriptor);
    }
    const unresolved = unique.filter((name) => !known.has(name));
    if (unresolved.length > 0) {
      for (const role of await this.store.getMany(unresolved)) known.set(role.name, role.descriptor);
    }
    return unique.flatMap((name) => known.get(name) ?? []);
  }
}
