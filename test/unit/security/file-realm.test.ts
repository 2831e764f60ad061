import { FileRealm, parseUsersFile, parseUsersRolesFile } from '../../../functions/security/authc/file/file-realm';
import { ReservedRealm } from '../../../functions/security/authc/native/reserved-realm';
import { BCRYPT_COST, hashPassword } from '../../../functions/security/authc/passwords/bcrypt';
import { verifyPassword } from '../../../functions/security/authc/passwords/password-hashes';
import { VerifiedPasswordCache } from '../../../functions/security/authc/passwords/verified-passwords';
import { RealmChain, UNKNOWN_USER_HASH } from '../../../functions/security/authc/realm';

describe('file realm formats', () => {
  it('reads Elasticsearch users lines and skips ones it cannot use', async () => {
    const hash = await hashPassword('secret', 4);
    const { users, skipped } = parseUsersFile(`alice:${hash}\n\nbob:{PBKDF2}10000$abc\n# comment\nbroken\n`);
    expect([...users.keys()]).toEqual(['alice']);
    expect(skipped).toEqual([3, 5]);
  });

  it('reads users_roles as roles by user', () => {
    const roles = parseUsersRolesFile('superuser:alice\nmanage:alice, bob\n');
    expect(roles.get('alice')).toEqual(['superuser', 'manage']);
    expect(roles.get('bob')).toEqual(['manage']);
  });

  it('verifies $2a$, $2b$ and $2y$ bcrypt hashes', async () => {
    const hash = await hashPassword('secret', 4);
    for (const prefix of ['$2a$', '$2b$', '$2y$']) {
      const realm = new FileRealm(new Map([['alice', `${prefix}${hash.slice(4)}`]]), new Map());
      expect(await realm.authenticate('alice', 'secret')).toMatchObject({ username: 'alice' });
      // Cost 4 is cheaper than the dummy check: the realm leaves the chain to pay that (realm.ts).
      expect(await realm.authenticate('alice', 'wrong')).toBeUndefined();
    }
  });

  it('gives a file user the AU-3 fields of the default_file realm', async () => {
    const realm = new FileRealm(new Map([['alice', await hashPassword('secret', 4)]]), new Map([['alice', ['r1']]]));
    expect(await realm.authenticate('alice', 'secret')).toEqual({
      username: 'alice',
      roles: ['r1'],
      full_name: null,
      email: null,
      metadata: {},
      enabled: true,
      authentication_realm: { name: 'default_file', type: 'file' },
      lookup_realm: { name: 'default_file', type: 'file' },
      authentication_type: 'realm',
    });
  });

  it('pays bcrypt once for repeated successes, and every time for a wrong password', async () => {
    let bcryptCalls = 0;
    const counting = async (password: string, hash: string) => {
      bcryptCalls++;
      return verifyPassword(password, hash);
    };
    const realm = new FileRealm(
      new Map([['alice', await hashPassword('secret', BCRYPT_COST)]]),
      new Map(),
      new VerifiedPasswordCache(counting),
    );
    for (let i = 0; i < 3; i++) expect(await realm.authenticate('alice', 'secret')).toMatchObject({ username: 'alice' });
    expect(bcryptCalls).toBe(1);
    for (let i = 0; i < 2; i++) expect(await realm.authenticate('alice', 'wrong')).toBe('failed');
    expect(bcryptCalls).toBe(3);
  });
});

describe('realm chain', () => {
  it('asks the reserved realm first, and a file user named elastic cannot shadow it', async () => {
    const fileRealm = new FileRealm(new Map([['elastic', await hashPassword('file-password', 4)]]), new Map());
    const chain = new RealmChain([new ReservedRealm('reserved-password'), fileRealm]);
    expect((await chain.authenticate('elastic', 'reserved-password'))?.authentication_realm.name).toBe('reserved');
    expect(await chain.authenticate('elastic', 'file-password')).toBeUndefined();
  });

  it('falls through to the file realm for other users', async () => {
    const chain = new RealmChain([
      new ReservedRealm('x'),
      new FileRealm(new Map([['alice', await hashPassword('secret', 4)]]), new Map()),
    ]);
    expect((await chain.authenticate('alice', 'secret'))?.authentication_realm.name).toBe('default_file');
    expect(await chain.authenticate('nobody', 'secret')).toBeUndefined();
  });

  it('without a configured password, elastic cannot authenticate', async () => {
    expect(await new ReservedRealm(undefined).authenticate('elastic', '')).toBe('rejected');
  });
});

describe('an unknown user costs the same bcrypt as a wrong password', () => {
  function countingChain(realms: ConstructorParameters<typeof RealmChain>[0]) {
    const hashes: string[] = [];
    const chain = new RealmChain(realms, async (password, hash) => {
      hashes.push(hash);
      return verifyPassword(password, hash);
    });
    return { chain, hashes };
  }

  it('no realm knows the user: one check against the dummy hash, at the cost of a new hash', async () => {
    const { chain, hashes } = countingChain([new ReservedRealm('x'), new FileRealm(new Map(), new Map())]);
    expect(await chain.authenticate('nobody', 'guess')).toBeUndefined();
    expect(hashes).toEqual([UNKNOWN_USER_HASH]);
    expect(UNKNOWN_USER_HASH.slice(0, 7)).toBe(`$2b$${BCRYPT_COST}$`);
    expect(await verifyPassword('', UNKNOWN_USER_HASH)).toBe(false);
  });

  it('a realm that checked a wrong password is not charged twice; a good password never pays the dummy', async () => {
    const fileRealm = new FileRealm(new Map([['alice', await hashPassword('secret', BCRYPT_COST)]]), new Map());
    const { chain, hashes } = countingChain([fileRealm]);
    expect(await chain.authenticate('alice', 'wrong')).toBeUndefined();
    expect(await chain.authenticate('alice', 'secret')).toMatchObject({ username: 'alice' });
    expect(hashes).toEqual([]);
  });
});
