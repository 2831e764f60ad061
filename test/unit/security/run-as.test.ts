import { RunAsPrivileges, runAsPatternMatches } from '../../../functions/security/run-as';

// Patterns as Elasticsearch's Automatons.patterns reads a role's run_as entries.
describe('15.4: run_as patterns (Automatons)', () => {
  it.each([
    ['*', 'anyone', true],
    ['token_*', 'token_client', true],
    ['token_*', 'reader', false],
    ['user?', 'user1', true],
    ['user?', 'user12', false],
    ['/user[0-9]+/', 'user12', true],
    ['/user[0-9]+/', 'xuser12', false],
    ['a.b', 'aXb', false],
    ['/[/', 'x', false],
  ])('15.4: %j against %j is %s', (pattern, username, expected) => {
    expect(runAsPatternMatches(pattern, username)).toBe(expected);
  });

  it('15.4: superuser may run as anyone; file and native roles by their entries, unknown roles grant nothing', async () => {
    const nativeRoles = {
      getMany: async (names: readonly string[]) =>
        names.filter((n) => n === 'native').map((name) => ({ name, descriptor: { cluster: [], run_as: ['n*'] } })),
    };
    const privileges = new RunAsPrivileges(nativeRoles, new Map([['file', ['f*']]]));
    expect(await privileges.permits(['superuser'], 'x')).toBe(true);
    expect(await privileges.permits(['file'], 'fred')).toBe(true);
    expect(await privileges.permits(['native'], 'nina')).toBe(true);
    expect(await privileges.permits(['native', 'file', 'none'], 'zed')).toBe(false);
  });
});
