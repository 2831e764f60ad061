import { AuthorizationError } from '../../../functions/errors';
import type { Authentication } from '../../../functions/security/authentication';
import { Actions, authorize } from '../../../functions/security/authorization';
import { parseRolesFile, RoleRegistry } from '../../../functions/security/roles';

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

describe('roles file', () => {
  it('reads cluster privileges in flow and block form and ignores the other keys', () => {
    const roles = parseRolesFile(
      [
        '# roles',
        'token_manager:',
        "  cluster: [manage_token, 'monitor']",
        '  indices:',
        '    - names: [ "logs-*" ]',
        '      privileges: [ read ]',
        '"admin":',
        '  cluster:',
        '    - manage_security  # comment',
        '    - "all"',
        '  run_as: [ other ]',
        'empty: {}',
      ].join('\n'),
    );
    expect(roles.get('token_manager')).toEqual(['manage_token', 'monitor']);
    expect(roles.get('admin')).toEqual(['manage_security', 'all']);
    expect(roles.get('empty')).toEqual([]);
  });
});

describe('ER-10: authorization of token actions', () => {
  const registry = new RoleRegistry(
    new Map([
      ['token_manager', ['manage_token']],
      ['security_admin', ['manage_security']],
      ['monitoring', ['monitor']],
    ]),
  );

  it.each([['superuser'], ['token_manager'], ['security_admin']])('role %s may create tokens', (role) => {
    expect(() => authorize(user([role]), Actions.createToken, registry)).not.toThrow();
  });

  it('names the action, the user, the roles and the granting privileges', () => {
    expect(() => authorize(user(['monitoring', 'unknown_role']), Actions.createToken, registry)).toThrow(
      new AuthorizationError(
        'action [cluster:admin/xpack/security/token/create] is unauthorized for user [alice] with effective roles [monitoring,unknown_role], this action is granted by the cluster privileges [manage_token,manage_security,all]',
      ),
    );
  });

  it('an unknown role grants nothing', () => {
    expect(() => authorize(user(['nope']), Actions.invalidateToken, registry)).toThrow(AuthorizationError);
  });
});
