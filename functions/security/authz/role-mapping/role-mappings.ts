import type { RoleMapping } from './mapping';
import { matches } from './rules';
import type { RoleMappingStore } from './store';
import { roleNames } from './templates';
import { expressionModel, modelValues, type UserData } from './user-data';

const byName = (a: RoleMapping, b: RoleMapping) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The role-mapping API's rules (Transport{Put,Get,Delete}RoleMappingAction) and the mapping of users to roles. */
export class RoleMappings {
  constructor(private readonly store: RoleMappingStore) {}

  /** Validated by assertValidRoleMapping before authorization. */
  async put(mapping: RoleMapping): Promise<{ role_mapping: { created: boolean } }> {
    return { role_mapping: { created: await this.store.put(mapping) } };
  }

  /** The mappings named (unknown names left out), or every mapping for none, `_all` or `*`; by name. */
  async get(names: readonly string[]): Promise<RoleMapping[]> {
    const all = names.length === 0 || names.some((name) => name === '_all' || name === '*');
    const found = all ? await this.store.list() : await this.store.getMany([...new Set(names)]);
    return found.sort(byName);
  }

  async delete(name: string): Promise<boolean> {
    return this.store.delete(name);
  }

  /**
   * RM-7: the union of the roles of every enabled mapping whose rules match the user, templates rendered
   * over the user's model (`NativeRoleMappingStore.resolveRoles`). Read at login only: the roles are
   * frozen into the token pair (RM-9).
   */
  async resolveRoles(user: UserData): Promise<string[]> {
    const model = expressionModel(user);
    const values = modelValues(user);
    const roles = new Set<string>();
    for (const mapping of await this.store.list()) {
      if (!mapping.enabled || !matches(mapping.rules, model)) continue;
      for (const role of mapping.roles) roles.add(role);
      for (const template of mapping.roleTemplates) for (const role of roleNames(template, values)) roles.add(role);
    }
    return [...roles];
  }
}
