import { AuthorizationError } from '../errors';
import type { Authentication } from './authentication';
import type { ClusterPrivilege, RoleRegistry } from './roles';

/** A cluster action and the privileges that grant it, in the order Elasticsearch names them (ER-10). */
export interface ClusterAction {
  readonly name: string;
  readonly grantedBy: readonly ClusterPrivilege[];
}

const TOKEN_PRIVILEGES = ['manage_token', 'manage_security', 'all'] as const;

export const Actions = {
  createToken: { name: 'cluster:admin/xpack/security/token/create', grantedBy: TOKEN_PRIVILEGES },
  refreshToken: { name: 'cluster:admin/xpack/security/token/refresh', grantedBy: TOKEN_PRIVILEGES },
  invalidateToken: { name: 'cluster:admin/xpack/security/token/invalidate', grantedBy: TOKEN_PRIVILEGES },
} as const satisfies Record<string, ClusterAction>;

/** ER-10: throws unless one of the caller's roles grants the action. */
export function authorize(caller: Authentication, action: ClusterAction, roles: RoleRegistry): void {
  const held = roles.clusterPrivileges(caller.roles);
  if (action.grantedBy.some((privilege) => held.has(privilege))) return;
  throw new AuthorizationError(
    `action [${action.name}] is unauthorized for user [${caller.username}] with effective roles [${caller.roles.join(',')}], ` +
      `this action is granted by the cluster privileges [${action.grantedBy.join(',')}]`,
  );
}
