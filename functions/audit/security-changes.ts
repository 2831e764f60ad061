import type { JsonObject } from '../json/json-fields';
import type { RoleMapping } from '../security/authz/role-mapping/mapping';
import { rulesToJson } from '../security/authz/role-mapping/rules';
import type { RoleDescriptor } from '../security/authz/role-store';

/**
 * The `security_config_change` events (LoggingAuditTrail.LogEntryBuilder.withRequestBody): the change's action,
 * the field that carries it (`put`, `delete`, `change`, `invalidate`) and the config object, as Elasticsearch
 * writes them. No password or hash is ever in one: a user's shows only `has_password`.
 */
export interface SecurityChange {
  readonly action: string;
  readonly field: 'put' | 'delete' | 'change' | 'invalidate';
  readonly body: Readonly<Record<string, unknown>>;
}

const nonEmpty = (value: Readonly<Record<string, unknown>> | null | undefined) =>
  value !== null && value !== undefined && Object.keys(value).length > 0 ? value : undefined;

export interface AuditedUser {
  readonly username: string;
  readonly enabled: boolean;
  readonly roles?: readonly string[];
  readonly full_name: string | null;
  readonly email: string | null;
  readonly metadata: JsonObject;
  readonly password?: string;
  readonly passwordHash?: string;
}

export function putUserChange(user: AuditedUser): SecurityChange {
  const body = {
    name: user.username,
    enabled: user.enabled,
    roles: user.roles ?? [],
    ...(user.full_name !== null && { full_name: user.full_name }),
    ...(user.email !== null && { email: user.email }),
    has_password: user.password !== undefined || user.passwordHash !== undefined,
    ...(nonEmpty(user.metadata) && { metadata: user.metadata }),
  };
  return { action: 'put_user', field: 'put', body: { user: body } };
}

export const changePasswordChange = (username: string): SecurityChange => ({
  action: 'change_password',
  field: 'change',
  body: { password: { user: { name: username } } },
});

export const setEnabledChange = (username: string, enabled: boolean): SecurityChange => ({
  action: enabled ? 'change_enable_user' : 'change_disable_user',
  field: 'change',
  body: { [enabled ? 'enable' : 'disable']: { user: { name: username } } },
});

/** withRoleDescriptor: cluster, global, indices, applications, run_as, metadata; empty optional parts left out. */
export function putRoleChange(name: string, descriptor: RoleDescriptor): SecurityChange {
  const d = descriptor as Record<string, unknown>;
  const indices = Array.isArray(d.indices) ? (d.indices as Record<string, unknown>[]).map(indicesPrivileges) : [];
  const roleDescriptor = {
    cluster: descriptor.cluster,
    ...(nonEmpty(d.global as Record<string, unknown>) && { global: d.global }),
    indices,
    applications: Array.isArray(d.applications) ? d.applications : [],
    run_as: Array.isArray(d.run_as) ? d.run_as : [],
    ...(nonEmpty(d.metadata as Record<string, unknown>) && { metadata: d.metadata }),
  };
  return { action: 'put_role', field: 'put', body: { role: { name, role_descriptor: roleDescriptor } } };
}

function indicesPrivileges(entry: Record<string, unknown>): Record<string, unknown> {
  const query = entry.query;
  return {
    names: entry.names,
    privileges: entry.privileges,
    ...(entry.field_security !== undefined && { field_security: entry.field_security }),
    ...(query !== undefined && { query: typeof query === 'string' ? query : JSON.stringify(query) }),
    ...(entry.allow_restricted_indices === true && { allow_restricted_indices: true }),
  };
}

/** The mapping as ExpressionRoleMapping writes it, its rules as the API takes them. */
export function putRoleMappingChange(mapping: RoleMapping): SecurityChange {
  const body = {
    name: mapping.name,
    ...(mapping.roles.length > 0 && { roles: mapping.roles }),
    ...(mapping.roleTemplates.length > 0 && { role_templates: mapping.roleTemplates }),
    rules: rulesToJson(mapping.rules),
    enabled: mapping.enabled,
    ...(nonEmpty(mapping.metadata) && { metadata: mapping.metadata }),
  };
  return { action: 'put_role_mapping', field: 'put', body: { role_mapping: body } };
}

export const deleteChange = (kind: 'user' | 'role' | 'role_mapping', name: string): SecurityChange => ({
  action: `delete_${kind}`,
  field: 'delete',
  body: { [kind]: { name } },
});

/** What a token invalidation was asked to invalidate: never the token itself. */
export type InvalidatedScope =
  | { readonly kind: 'token' | 'refresh_token' }
  | { readonly kind: 'scope'; readonly realm?: string; readonly username?: string };

export interface InvalidationCounts {
  readonly invalidated_tokens: readonly unknown[] | number;
  readonly previously_invalidated_tokens: readonly unknown[] | number;
  readonly error_count: number;
}

const countOf = (value: readonly unknown[] | number) => (typeof value === 'number' ? value : value.length);

/**
 * Elasticsearch audits no token invalidation (only `invalidate_apikeys`): this one follows that event's shape,
 * `invalidate: {tokens: {...}}`, with the scope asked for and the counts answered.
 */
export function invalidateTokensChange(scope: InvalidatedScope, counts: InvalidationCounts): SecurityChange {
  const asked =
    scope.kind === 'scope'
      ? {
          ...(scope.realm !== undefined && { realm_name: scope.realm }),
          ...(scope.username !== undefined && { username: scope.username }),
        }
      : { token_type: scope.kind === 'token' ? 'access_token' : 'refresh_token' };
  const tokens = {
    ...asked,
    invalidated_tokens: countOf(counts.invalidated_tokens),
    previously_invalidated_tokens: countOf(counts.previously_invalidated_tokens),
    error_count: counts.error_count,
  };
  return { action: 'invalidate_tokens', field: 'invalidate', body: { tokens } };
}
