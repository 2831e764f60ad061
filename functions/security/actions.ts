/**
 * The cluster actions of this service's APIs, as plain data: the API registry (functions/api/registry.ts)
 * names the one each API checks, and the CDK stack and the README's API table read them from there without
 * loading any of the code that checks them (authorization.ts).
 */

/** A cluster action and the privileges that grant it, in the order Elasticsearch names them (ER-10). */
export interface ClusterAction {
  readonly name: string;
  /** Cluster privilege names (roles.ts). */
  readonly grantedBy: readonly string[];
  /** Granted to every authenticated user, as Elasticsearch's same-user check does: only a refused run-as stops it. */
  readonly everyUser?: true;
}

const TOKEN_PRIVILEGES = ['manage_token', 'manage_security', 'all'] as const;
const SECURITY_PRIVILEGES = ['manage_security', 'all'] as const;
/** COMMON-2: `manage_oidc` grants `cluster:admin/xpack/security/oidc/*`. */
const OIDC_PRIVILEGES = ['manage_oidc', 'manage_security', 'all'] as const;
/** `cluster:monitor/*` is granted by monitor, and by manage and all, which hold every cluster action. */
const MONITOR_PRIVILEGES = ['monitor', 'manage', 'all'] as const;

export const Actions = {
  createToken: { name: 'cluster:admin/xpack/security/token/create', grantedBy: TOKEN_PRIVILEGES },
  refreshToken: { name: 'cluster:admin/xpack/security/token/refresh', grantedBy: TOKEN_PRIVILEGES },
  invalidateToken: { name: 'cluster:admin/xpack/security/token/invalidate', grantedBy: TOKEN_PRIVILEGES },
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
  clusterInfo: { name: 'cluster:monitor/main', grantedBy: MONITOR_PRIVILEGES },
  /** Every authenticated user may ask who it is (AU-1): only a refused run-as stops it. */
  authenticate: { name: 'cluster:admin/xpack/security/user/authenticate', grantedBy: [], everyUser: true },
} as const satisfies Record<string, ClusterAction>;
