import { isJsonObject, type JsonObject } from '../../../json/json-fields';
import type { RoleDescriptor } from '../role-store';

/**
 * `GET /_security/user/_privileges` (GetUserPrivilegesResponse): the union of the caller's roles. Index entries
 * with the same names, privileges and `allow_restricted_indices` are one entry, carrying each role's field
 * security and query; application entries are merged by application and privileges (their resources joined),
 * then by application and resources (their privileges joined); cluster privileges and run-as are sorted sets.
 */
export interface UserPrivileges {
  readonly cluster: string[];
  readonly global: unknown[];
  readonly indices: JsonObject[];
  readonly applications: JsonObject[];
  readonly run_as: string[];
  readonly remote_indices?: JsonObject[];
  readonly remote_cluster?: unknown[];
}

const javaOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const strings = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
const objects = (value: unknown): JsonObject[] => (Array.isArray(value) ? value.filter(isJsonObject) : []);
const sortedSet = (values: Iterable<string>) => [...new Set(values)].sort(javaOrder);
const pushNew = <T>(list: T[], value: T) => {
  if (!list.some((known) => JSON.stringify(known) === JSON.stringify(value))) list.push(value);
};

/** Index (or remote index) entries, merged by names, privileges, restricted access (and clusters). */
function mergeIndices(entries: JsonObject[], remote: boolean): JsonObject[] {
  const merged = new Map<string, { head: JsonObject; fieldSecurity: unknown[]; queries: string[] }>();
  for (const entry of entries) {
    const names = sortedSet(strings(entry.names));
    const privileges = sortedSet(strings(entry.privileges));
    const restricted = entry.allow_restricted_indices === true;
    const clusters = remote ? sortedSet(strings(entry.clusters)) : [];
    const key = JSON.stringify([names, privileges, restricted, clusters]);
    let group = merged.get(key);
    if (group === undefined) {
      const head = { names, privileges, allow_restricted_indices: restricted, ...(remote && { clusters }) };
      group = { head, fieldSecurity: [], queries: [] };
      merged.set(key, group);
    }
    if (entry.field_security !== undefined) pushNew(group.fieldSecurity, entry.field_security);
    if (entry.query !== undefined)
      pushNew(group.queries, typeof entry.query === 'string' ? entry.query : JSON.stringify(entry.query));
  }
  return [...merged.values()].map(({ head, fieldSecurity, queries }) => {
    const { names, privileges, ...rest } = head;
    return {
      names,
      privileges,
      ...(fieldSecurity.length > 0 && { field_security: fieldSecurity }),
      ...(queries.length > 0 && { query: queries }),
      ...rest,
    };
  });
}

/** By application and privileges, resources joined; then by application and resources, privileges joined. */
function mergeApplications(entries: JsonObject[]): JsonObject[] {
  const byPrivileges = new Map<string, { application: string; privileges: string[]; resources: string[] }>();
  for (const entry of entries) {
    const application = typeof entry.application === 'string' ? entry.application : '';
    const privileges = [...new Set(strings(entry.privileges))];
    const key = JSON.stringify([application, [...privileges].sort(javaOrder)]);
    const group = byPrivileges.get(key) ?? { application, privileges, resources: [] };
    for (const resource of strings(entry.resources)) if (!group.resources.includes(resource)) group.resources.push(resource);
    byPrivileges.set(key, group);
  }
  const byResources = new Map<string, { application: string; privileges: string[]; resources: string[] }>();
  for (const group of byPrivileges.values()) {
    const key = JSON.stringify([group.application, [...group.resources].sort(javaOrder)]);
    const known = byResources.get(key);
    if (known === undefined) byResources.set(key, { ...group, privileges: [...group.privileges] });
    else for (const privilege of group.privileges) if (!known.privileges.includes(privilege)) known.privileges.push(privilege);
  }
  return [...byResources.values()].map(({ application, privileges, resources }) => ({ application, privileges, resources }));
}

export function userPrivileges(roles: readonly RoleDescriptor[]): UserPrivileges {
  const global: unknown[] = [];
  for (const role of roles) if (isJsonObject(role.global) && Object.keys(role.global).length > 0) pushNew(global, role.global);
  const remoteIndices = roles.flatMap((role) => objects(role.remote_indices));
  const remoteCluster: unknown[] = [];
  for (const entry of roles.flatMap((role) => objects(role.remote_cluster))) pushNew(remoteCluster, entry);
  return {
    cluster: sortedSet(roles.flatMap((role) => role.cluster)),
    global,
    indices: mergeIndices(
      roles.flatMap((role) => objects(role.indices)),
      false,
    ),
    applications: mergeApplications(roles.flatMap((role) => objects(role.applications))),
    run_as: sortedSet(roles.flatMap((role) => strings(role.run_as))),
    ...(remoteIndices.length > 0 && { remote_indices: mergeIndices(remoteIndices, true) }),
    ...(remoteCluster.length > 0 && { remote_cluster: remoteCluster }),
  };
}
