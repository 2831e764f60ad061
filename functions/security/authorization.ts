import { AuthorizationError } from '../errors';
import type { Authentication } from './authentication';
import { NATIVE_REALM } from './native-realm';
import { RESERVED_REALM } from './reserved-realm';
import type { ClusterPrivilege, RoleRegistry } from './roles';
import { assertRunAsPermitted, deniedSubject } from './run-as';

/** A cluster action and the privileges that grant it, in the order Elasticsearch names them (ER-10). */
export interface ClusterAction {
  readonly name: string;
  readonly grantedBy: readonly ClusterPrivilege[];
}

const TOKEN_PRIVILEGES = ['manage_token', 'manage_security', 'all'] as const;
/** COMMON-2: `manage_saml` also grants token refresh and invalidation (ClusterPrivilegeResolver.MANAGE_SAML). */
const SAML_TOKEN_PRIVILEGES = ['manage_saml', 'manage_token', 'manage_security', 'all'] as const;
const SECURITY_PRIVILEGES = ['manage_security', 'all'] as const;
/** COMMON-2: `manage_oidc` grants `cluster:admin/xpack/security/oidc/*`. */
const OIDC_PRIVILEGES = ['manage_oidc', 'manage_security', 'all'] as const;
/** COMMON-2: `manage_saml` grants `cluster:admin/xpack/security/saml/*`. */
const SAML_PRIVILEGES = ['manage_saml', 'manage_security', 'all'] as const;
/** `cluster:monitor/*` is granted by monitor, and by manage and all, which hold every cluster action. */
const MONITOR_PRIVILEGES = ['monitor', 'manage', 'all'] as const;

export const Actions = {
  createToken: { name: 'cluster:admin/xpack/security/token/create', grantedBy: TOKEN_PRIVILEGES },
  refreshToken: { name: 'cluster:admin/xpack/security/token/refresh', grantedBy: SAML_TOKEN_PRIVILEGES },
  invalidateToken: { name: 'cluster:admin/xpack/security/token/invalidate', grantedBy: SAML_TOKEN_PRIVILEGES },
  putUser: { name: 'cluster:admin/xpack/security/user/put', grantedBy: SECURITY_PRIVILEGES },
  getUsers: { name: 'cluster:admin/xpack/security/user/get', grantedBy: SECURITY_PRIVILEGES },
  deleteUser: { name: 'cluster:admin/xpack/security/user/delete', grantedBy: SECURITY_PRIVILEGES },
  changePassword: { name: 'cluster:admin/xpack/security/user/change_password', grantedBy: SECURITY_PRIVILEGES },
  setUserEnabled: { name: 'cluster:admin/xpack/security/user/set_enabled', grantedBy: SECURITY_PRIVILEGES },
  putRole: { name: 'cluster:admin/xpack/security/role/put', grantedBy: SECURITY_PRIVILEGES },
  getRoles: { name: 'cluster:admin/xpack/security/role/get', grantedBy: SECURITY_PRIVILEGES },
  deleteRole: { name: 'cluster:admin/xpack/security/role/delete', grantedBy: SECURITY_PRIVILEGES },
  putRoleMapping: { name: 'cluster:admin/xpack/security/role_mapping/put', grantedBy: SECURITY_PRIVILEGES },
  getRoleMappings: { name: 'cluster:admin/xpack/security/role_mapping/get', grantedBy: SECURITY_PRIVILEGES },
  deleteRoleMapping: { name: 'cluster:admin/xpack/security/role_mapping/delete', grantedBy: SECURITY_PRIVILEGES },
  oidcPrepare: { name: 'cluster:admin/xpack/security/oidc/prepare', grantedBy: OIDC_PRIVILEGES },
  oidcAuthenticate: { name: 'cluster:admin/xpack/security/oidc/authenticate', grantedBy: OIDC_PRIVILEGES },
  oidcLogout: { name: 'cluster:admin/xpack/security/oidc/logout', grantedBy: OIDC_PRIVILEGES },
  samlPrepare: { name: 'cluster:admin/xpack/security/saml/prepare', grantedBy: SAML_PRIVILEGES },
  samlAuthenticate: { name: 'cluster:admin/xpack/security/saml/authenticate', grantedBy: SAML_PRIVILEGES },
  samlLogout: { name: 'cluster:admin/xpack/security/saml/logout', grantedBy: SAML_PRIVILEGES },
  samlInvalidate: { name: 'cluster:admin/xpack/security/saml/invalidate', grantedBy: SAML_PRIVILEGES },
  samlCompleteLogout: { name: 'cluster:admin/xpack/security/saml/complete_logout', grantedBy: SAML_PRIVILEGES },
  samlMetadata: {
    name: 'cluster:monitor/xpack/security/saml/metadata',
    grantedBy: ['manage_saml', 'manage_security', 'monitor', 'manage', 'all'],
  },
  clusterInfo: { name: 'cluster:monitor/main', grantedBy: MONITOR_PRIVILEGES },
  /** Every authenticated user may ask who it is (AU-1): only a refused run-as stops it. */
  authenticate: { name: 'cluster:admin/xpack/security/user/authenticate', grantedBy: [] },
} as const satisfies Record<string, ClusterAction>;

/**
 * ER-10: throws unless one of the caller's roles grants the action. Asynchronous because a native role
 * is a read away: always `await` it (Biome's noFloatingPromises rule refuses a call that is not).
 */
export async function authorize(caller: Authentication, action: ClusterAction, roles: RoleRegistry): Promise<void> {
  assertRunAsPermitted(caller, action.name);
  if (await roles.grants(caller.roles, action)) return;
  throw new AuthorizationError(
    `action [${action.name}] is unauthorized for ${deniedSubject(caller)} with effective roles [${caller.roles.join(',')}], ` +
      `this action is granted by the cluster privileges [${action.grantedBy.join(',')}]`,
  );
}

/**
 * Change password is also allowed, without any privilege, for the caller's own password (Elasticsearch's
 * RBACEngine `checkSameUserPermissions` and `checkChangePasswordAction`): only when the caller authenticated
 * with a realm's credentials (not a token) of a realm whose passwords can be changed, native or reserved, so
 * that a file user cannot change the password of a native user of the same name.
 */
export async function authorizeChangePassword(caller: Authentication, username: string, roles: RoleRegistry): Promise<void> {
  const realm = caller.lookup_realm.type;
  const ownPassword =
    caller.username === username &&
    caller.authentication_type === 'realm' &&
    (realm === NATIVE_REALM.type || realm === RESERVED_REALM.type);
  if (!ownPassword) await authorize(caller, Actions.changePassword, roles);
}
