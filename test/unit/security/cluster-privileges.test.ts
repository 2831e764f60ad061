import { APIS } from '../../../functions/api/registry';
import type { ClusterAction } from '../../../functions/security/authz/actions';
import { Actions } from '../../../functions/security/authz/actions';
import { clusterPrivilegeError, privilegeGrants } from '../../../functions/security/authz/cluster-privileges';
import { RoleRegistry } from '../../../functions/security/authz/roles';

/**
 * Fixed examples beside the property test of roles-file.test.ts: a predefined privilege grants exactly the
 * actions that name it, never those of another privilege whose name it begins (`manage` is a prefix of
 * `manage_security`, `manage_token`, `manage_oidc` and `manage_saml`; `monitor` of `monitor_ml`).
 */

/** Every action of every API of the service, each once. */
const ALL_ACTIONS: readonly ClusterAction[] = [
  ...new Map(Object.values(APIS).flatMap((api) => api.privileges.map((action) => [action.name, action] as const))).values(),
];
const registry = new RoleRegistry(
  new Map([
    ['manager', ['manage']],
    ['shouting_manager', ['MANAGE']],
    ['monitor_ml_only', ['monitor_ml']],
    ['security_admin', ['manage_security']],
  ]),
);

describe('cluster privileges grant by name, never by a prefix of a name', () => {
  it('the actions under test include the security, token and SSO actions', () => {
    for (const action of [Actions.putUser, Actions.putRole, Actions.oidcAuthenticate, Actions.samlAuthenticate]) {
      expect(ALL_ACTIONS.map((a) => a.name)).toContain(action.name);
    }
    expect(ALL_ACTIONS.map((a) => a.name)).toContain('cluster:admin/xpack/security/token/create');
  });

  it('COMMON-2: manage grants no action of manage_security, manage_token, manage_oidc or manage_saml, in any case', async () => {
    for (const action of [
      Actions.putUser,
      Actions.deleteUser,
      Actions.changePassword,
      Actions.putRole,
      Actions.putRoleMapping,
      Actions.refreshToken,
      Actions.invalidateToken,
      Actions.oidcPrepare,
      Actions.oidcAuthenticate,
      Actions.samlAuthenticate,
      Actions.samlInvalidate,
    ]) {
      expect({ action: action.name, manage: privilegeGrants('manage', action) }).toEqual({ action: action.name, manage: false });
      expect(await registry.grants(['manager'], action)).toBe(false);
      expect(await registry.grants(['shouting_manager'], action)).toBe(false);
    }
  });

  it('COMMON-2: manage grants exactly the cluster:monitor actions of the service (cluster info, SAML metadata)', async () => {
    const granted: string[] = [];
    for (const action of ALL_ACTIONS) if (await registry.grants(['manager'], action)) granted.push(action.name);
    expect(granted.sort()).toEqual(['cluster:monitor/main', 'cluster:monitor/xpack/security/saml/metadata']);
  });

  it('manage_security grants no monitor action; monitor_ml grants nothing of monitor', async () => {
    expect(await registry.grants(['security_admin'], Actions.clusterInfo)).toBe(false);
    expect(await registry.grants(['security_admin'], Actions.putUser)).toBe(true);
    for (const action of ALL_ACTIONS) expect(await registry.grants(['monitor_ml_only'], action)).toBe(false);
  });

  it('a prefix of a privilege name is no privilege: refused by name, and it grants nothing', () => {
    for (const prefix of ['manage_', 'manage_sec', 'manage_securit', 'manage_tok', 'manage_s', 'monitor_']) {
      expect(clusterPrivilegeError(prefix)).toMatch(/^unknown cluster privilege/);
      for (const action of ALL_ACTIONS) expect(privilegeGrants(prefix, action)).toBe(false);
    }
  });
});
