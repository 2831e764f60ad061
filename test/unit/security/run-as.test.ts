import { RunAsPrivileges, runAsPatternMatches } from '../../../functions/security/authz/run-as';

// Patterns as Elasticsearch's Automatons.patterns reads a role's run_as entries.
describe('run_as patterns (Automatons)', () => {
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
  ])('%j against %j is %s', (pattern, username, expected) => {
    expect(runAsPatternMatches(pattern, username)).toBe(expected);
  });

  it('superuser may run as anyone; file and native roles by their entries, unknown roles grant nothing', async () => {
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

describe('looking up a run-as user in the realm chain (Realm.lookupUser)', () => {
  it('the first realm that knows the name answers, with its ref; no password (nor secret) is needed', async () => {
    // Prepare
    const { MaxAgeCache } = await import('../../../functions/max-age-cache');
    const { SecretReservedRealm } = await import('../../../functions/security/authc/native/secret-reserved-realm');
    const { FileRealm, FILE_REALM } = await import('../../../functions/security/authc/file/file-realm');
    const { RealmChain } = await import('../../../functions/security/authc/realm');
    const { RESERVED_REALM, ReservedRealm } = await import('../../../functions/security/authc/native/reserved-realm');
    const file = new FileRealm(new Map([['alice', '$2a$04$unused']]), new Map([['alice', ['token_manager']]]));
    // The deployed reserved realm: looking elastic up must not need its secret, so reading it fails here.
    const unreadable = new MaxAgeCache<InstanceType<typeof ReservedRealm>>({
      read: () => Promise.reject(new Error('no secret read for a lookup')),
      maxAgeMs: 60_000,
      clock: () => 0,
    });
    const chain = new RealmChain([new SecretReservedRealm(unreadable), file]);

    // Act
    const [elastic, alice, nobody] = await Promise.all(['elastic', 'alice', 'nobody'].map((name) => chain.lookup(name)));

    // Assess: elastic is known even without a password (it cannot authenticate, but can be run as).
    expect(elastic).toMatchObject({ user: { username: 'elastic', roles: ['superuser'] }, realm: RESERVED_REALM });
    expect(alice).toEqual({
      user: { username: 'alice', roles: ['token_manager'], full_name: null, email: null, metadata: {}, enabled: true },
      realm: FILE_REALM,
    });
    expect(nobody).toBeUndefined();
  });
});
