import { AuthorizationError } from '../../../functions/errors';
import type { Authentication } from '../../../functions/security/authc/authentication';
import { Actions } from '../../../functions/security/authz/actions';
import { authorize } from '../../../functions/security/authz/authorization';
import { RoleRegistry } from '../../../functions/security/authz/roles';

const user = (roles: string[]): Authentication => ({
  username: 'alice',
  roles,
  full_name: null,
  email: null,
  metadata: {},
  enabled: true,
  authentication_realm: { name: 'default_file', type: 'file' },
  lookup_realm: { name: 'default_file', type: 'file' },
  authentication_type: 'realm',
});

describe('ER-10: authorization of token actions', () => {
  const registry = new RoleRegistry(
    new Map([
      ['token_manager', ['manage_token']],
      ['security_admin', ['manage_security']],
      ['monitoring', ['monitor']],
    ]),
  );

  it.each([['superuser'], ['token_manager'], ['security_admin']])('role %s may create tokens', async (role) => {
    await expect(authorize(user([role]), Actions.createToken, registry)).resolves.toBeUndefined();
  });

  it('names the action, the user, the roles and the granting privileges', async () => {
    await expect(authorize(user(['monitoring', 'unknown_role']), Actions.createToken, registry)).rejects.toThrow(
      new AuthorizationError(
        'action [cluster:admin/xpack/security/token/create] is unauthorized for user [alice] with effective roles [monitoring,unknown_role], this action is granted by the cluster privileges [manage_token,manage_security,all]',
      ),
    );
  });

  it('an unknown role grants nothing', async () => {
    await expect(authorize(user(['nope']), Actions.invalidateToken, registry)).rejects.toThrow(AuthorizationError);
  });
});

describe('native roles in authorization', () => {
  /** The port, answered from a map and counting its reads: the rule under test is when a read happens. */
  function nativeRoles(roles: Record<string, string[]>) {
    const reads: string[][] = [];
    return {
      reads,
      source: {
        clusterPrivileges: async (names: readonly string[]) => {
          reads.push([...names]);
          return new Map(names.filter((name) => name in roles).map((name) => [name, roles[name] as string[]]));
        },
      },
    };
  }

  it('a native role grants its cluster privileges', async () => {
    const { source } = nativeRoles({ security_admin: ['manage_security'] });
    const registry = new RoleRegistry(new Map(), source);
    await expect(authorize(user(['security_admin']), Actions.putUser, registry)).resolves.toBeUndefined();
    await expect(authorize(user(['security_admin']), Actions.createToken, registry)).resolves.toBeUndefined();
  });

  it('reads only the roles that are neither built in nor in the roles file', async () => {
    const { reads, source } = nativeRoles({ native_role: ['monitor'] });
    const registry = new RoleRegistry(new Map([['file_role', ['monitor']]]), source);
    await expect(authorize(user(['file_role', 'native_role', 'nope']), Actions.putUser, registry)).rejects.toThrow(
      AuthorizationError,
    );
    expect(reads).toEqual([['native_role', 'nope']]);
  });

  it('makes no read when built-in or file roles already grant the action', async () => {
    const { reads, source } = nativeRoles({ native_role: ['manage_security'] });
    const registry = new RoleRegistry(new Map([['token_manager', ['manage_token']]]), source);
    await authorize(user(['superuser', 'native_role']), Actions.putUser, registry);
    await authorize(user(['token_manager', 'native_role']), Actions.createToken, registry);
    expect(reads).toEqual([]);
  });

  it('a file role shadows a native role of the same name, as in Elasticsearch', async () => {
    const { source } = nativeRoles({ admin: ['manage_security'] });
    const registry = new RoleRegistry(new Map([['admin', ['monitor']]]), source);
    await expect(authorize(user(['admin']), Actions.putUser, registry)).rejects.toThrow(AuthorizationError);
  });

  it('names the security actions and their granting privileges (ER-10 shape)', async () => {
    await expect(authorize(user(['nope']), Actions.putUser, new RoleRegistry())).rejects.toThrow(
      'action [cluster:admin/xpack/security/user/put] is unauthorized for user [alice] with effective roles [nope], this action is granted by the cluster privileges [manage_security,all]',
    );
  });
});
