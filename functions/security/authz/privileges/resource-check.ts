import { IllegalArgumentError } from '../../../errors';
import { isJsonObject, type JsonObject } from '../../../json/json-fields';
import type { Automaton } from '../patterns/automaton';
import { patternsAutomaton } from '../patterns/automatons';
import { isSubsetOf, type PatternBudget } from '../patterns/subset';
import type { RoleDescriptor } from '../role-store';
import { INDEX_ACTION_PREFIXES, INDEX_PRIVILEGE_ACTIONS } from './index-privileges';

/**
 * Index and application privileges of stored role descriptors, evaluated as `_has_privileges` does
 * (IndicesPermission.checkResourcePrivileges, ApplicationPermission.checkResourcePrivileges): a requested index
 * name or pattern is covered by a role's entry when every name it can match, the entry's names match too (an
 * automaton subset); the privilege is held when its actions are a subset of the actions of the covering entries.
 */

const strings = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
const objects = (value: unknown): JsonObject[] => (Array.isArray(value) ? value.filter(isJsonObject) : []);

function isIndexActionPattern(name: string): boolean {
  return INDEX_ACTION_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** `IndexPrivilege.get`: a named privilege's actions, or an action pattern and every action starting with it. */
function indexActions(privilege: string): readonly string[] | undefined {
  const name = privilege.toLowerCase();
  return INDEX_PRIVILEGE_ACTIONS.get(name) ?? (isIndexActionPattern(name) ? [`${name}*`] : undefined);
}

function requestedIndexActions(privilege: string): readonly string[] {
  const actions = indexActions(privilege);
  if (actions !== undefined) return actions;
  throw new IllegalArgumentError(
    `unknown index privilege [${privilege.toLowerCase()}]. a privilege must be either one of the predefined fixed indices privileges [${[...INDEX_PRIVILEGE_ACTIONS.keys()].join(',')}] or a pattern over one of the available index actions`,
  );
}

/** The role entries that grant the same privileges, their names joined (Elasticsearch groups them the same way). */
interface IndexGroup {
  readonly names: Automaton;
  readonly actions: readonly string[];
}

export class HeldIndexPrivileges {
  private readonly groups: IndexGroup[];

  constructor(
    roles: readonly RoleDescriptor[],
    private readonly budget: PatternBudget,
  ) {
    const byPrivileges = new Map<string, { names: string[]; actions: string[] }>();
    for (const entry of roles.flatMap((role) => objects(role.indices))) {
      const privileges = [...new Set(strings(entry.privileges))].sort();
      const key = JSON.stringify(privileges);
      const group = byPrivileges.get(key) ?? { names: [], actions: privileges.flatMap((p) => indexActions(p) ?? []) };
      group.names.push(...strings(entry.names).filter(usablePattern));
      byPrivileges.set(key, group);
    }
    this.groups = [...byPrivileges.values()]
      .filter((group) => group.names.length > 0 && group.actions.length > 0)
      .map(({ names, actions }) => ({ names: patternsAutomaton(names), actions }));
  }

  /** For one requested index name or pattern, whether each requested privilege is held on all of it. */
  check(index: string, privileges: readonly string[]): Record<string, boolean> {
    const wanted = patternsAutomaton([index]);
    const covering = this.groups.filter((group) => isSubsetOf(wanted, group.names, this.budget));
    const allowed = patternsAutomaton(covering.flatMap((group) => group.actions));
    return Object.fromEntries(
      privileges.map((privilege) => [
        privilege,
        isSubsetOf(patternsAutomaton(requestedIndexActions(privilege)), allowed, this.budget),
      ]),
    );
  }
}

/** A stored pattern that cannot be compiled (a bad `/.../`) grants nothing, as a role Elasticsearch cannot load. */
function usablePattern(pattern: string): boolean {
  try {
    patternsAutomaton([pattern]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Application privileges: no application privilege definitions are stored here (the privileges API is not
 * served), so a privilege is held on a resource when an entry for a matching application covers the resource
 * and names the privilege, or a wildcard pattern over it (`*`).
 */
export class HeldApplicationPrivileges {
  private readonly entries: { application: Automaton; privileges: Automaton; resources: Automaton }[];

  constructor(
    roles: readonly RoleDescriptor[],
    private readonly budget: PatternBudget,
  ) {
    this.entries = roles
      .flatMap((role) => objects(role.applications))
      .map((entry) => [strings(entry.application), strings(entry.privileges), strings(entry.resources)] as const)
      .filter((parts) => parts.every((list) => list.length > 0 && list.every(usablePattern)))
      .map(([application, privileges, resources]) => ({
        application: patternsAutomaton(application),
        privileges: patternsAutomaton(privileges),
        resources: patternsAutomaton(resources),
      }));
  }

  check(application: string, resource: string, privileges: readonly string[]): Record<string, boolean> {
    const wanted = patternsAutomaton([resource]);
    const covering = this.entries.filter(
      (entry) => entry.application.matches(application) && isSubsetOf(wanted, entry.resources, this.budget),
    );
    return Object.fromEntries(
      privileges.map((privilege) => [privilege, covering.some((entry) => entry.privileges.matches(privilege))]),
    );
  }
}
