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

/**
 * The cluster privileges that grant each family of actions. A new API's action may be written in its registry
 * entry (`{ name, grantedBy: GRANTED_BY.security }`); `Actions` holds the ones code elsewhere names too.
 */
export const GRANTED_BY = {
  token: ['manage_token', 'manage_security', 'all'],
  /** COMMON-2: `manage_saml` also grants token refresh and invalidation (ClusterPrivilegeResolver.MANAGE_SAML). */
  samlToken: ['manage_saml', 'manage_token', 'manage_security', 'all'],
  security: ['manage_security', 'all'],
  /** COMMON-2: `manage_oidc` grants `cluster:admin/xpack/security/oidc/*`. */
  oidc: ['manage_oidc', 'manage_security', 'all'],
  /** COMMON-2: `manage_saml` grants `cluster:admin/xpack/security/saml/*`. */
  saml: ['manage_saml', 'manage_security', 'all'],
  /** `cluster:monitor/xpack/security/saml/metadata`: manage_saml and every privilege that grants `cluster:monitor/*`. */
  samlMonitor: ['manage_saml', 'manage_security', 'monitor', 'manage', 'all'],
  /** `cluster:monitor/*` is granted by monitor, and by manage and all, which hold every cluster action. */
  monitor: ['monitor', 'manage', 'all'],
} as const;

export const Actions = {
  createToken: { name: 'cluster:admin/xpack/security/token/create', grantedBy: GRANTED_BY.token },
  refreshToken: { name: 'cluster:admin/xpack/security/token/refresh', grantedBy: GRANTED_BY.samlToken },
  invalidateToken: { name: 'cluster:admin/xpack/security/token/invalidate', grantedBy: GRANTED_BY.samlToken },
  putUser: { name: 'cluster:admin/xpack/security/user/put', grantedBy: GRANTED_BY.security },
  getUsers: { name: 'cluster:admin/xpack/security/user/get', grantedBy: GRANTED_BY.security },
  deleteUser: { name: 'cluster:admin/xpack/security/user/delete', grantedBy: GRANTED_BY.security },
  changePassword: { name: 'cluster:admin/xpack/security/user/change_password', grantedBy: GRANTED_BY.security },
  setUserEnabled: { name: 'cluster:admin/xpack/security/user/set_enabled', grantedBy: GRANTED_BY.security },
  putRole: { name: 'cluster:admin/xpack/security/role/put', grantedBy: GRANTED_BY.security },
  getRoles: { name: 'cluster:admin/xpack/security/role/get', grantedBy: GRANTED_BY.security },
  deleteRole: { name: 'cluster:admin/xpack/security/role/delete', grantedBy: GRANTED_BY.security },
  putRoleMapping: { name: 'cluster:admin/xpack/security/role_mapping/put', grantedBy: GRANTED_BY.security },
  getRoleMappings: { name: 'cluster:admin/xpack/security/role_mapping/get', grantedBy: GRANTED_BY.security },
  deleteRoleMapping: { name: 'cluster:admin/xpack/security/role_mapping/delete', grantedBy: GRANTED_BY.security },
  oidcPrepare: { name: 'cluster:admin/xpack/security/oidc/prepare', grantedBy: GRANTED_BY.oidc },
  oidcAuthenticate: { name: 'cluster:admin/xpack/security/oidc/authenticate', grantedBy: GRANTED_BY.oidc },
  oidcLogout: { name: 'cluster:admin/xpack/security/oidc/logout', grantedBy: GRANTED_BY.oidc },
  samlPrepare: { name: 'cluster:admin/xpack/security/saml/prepare', grantedBy: GRANTED_BY.saml },
  samlAuthenticate: { name: 'cluster:admin/xpack/security/saml/authenticate', grantedBy: GRANTED_BY.saml },
  samlLogout: { name: 'cluster:admin/xpack/security/saml/logout', grantedBy: GRANTED_BY.saml },
  samlInvalidate: { name: 'cluster:admin/xpack/security/saml/invalidate', grantedBy: GRANTED_BY.saml },
  samlCompleteLogout: { name: 'cluster:admin/xpack/security/saml/complete_logout', grantedBy: GRANTED_BY.saml },
  samlMetadata: { name: 'cluster:monitor/xpack/security/saml/metadata', grantedBy: GRANTED_BY.samlMonitor },
  clusterInfo: { name: 'cluster:monitor/main', grantedBy: GRANTED_BY.monitor },
  /** Every authenticated user may ask who it is (AU-1): only a refused run-as stops it. */
  authenticate: { name: 'cluster:admin/xpack/security/user/authenticate', grantedBy: [], everyUser: true },
} as const satisfies Record<string, ClusterAction>;
