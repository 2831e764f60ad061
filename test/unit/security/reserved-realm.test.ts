import bcrypt from 'bcryptjs';
import { ReservedRealm } from '../../../functions/security/authc/native/reserved-realm';
import { usePasswordHashing } from '../../../functions/security/authc/passwords/bcrypt';
import { verifyPassword } from '../../../functions/security/authc/passwords/password-hashes';
import { RealmChain, UNKNOWN_USER_HASH } from '../../../functions/security/authc/realm';

/** The realm, with every bcrypt operation it makes (a hash, or a check against a hash) recorded. */
function countingRealm(password: string | undefined) {
  const operations: string[] = [];
  usePasswordHashing({
    compare: (candidate, hash) => {
      operations.push(`check ${hash}`);
      return bcrypt.compare(candidate, hash);
    },
    hash: (candidate, cost) => {
      operations.push(`hash at cost ${cost}`);
      return bcrypt.hash(candidate, cost);
    },
  });
  return { realm: new ReservedRealm(password), operations };
}

describe("elastic's password is checked with bcrypt, as every other password", () => {
  afterEach(() => usePasswordHashing());

  it('every wrong password costs one bcrypt operation at the default cost; a right one is checked once, then remembered', async () => {
    const { realm, operations } = countingRealm('elastic-password');
    for (let i = 0; i < 3; i++) expect(await realm.authenticate('elastic', `guess-${i}`)).toBe('rejected');
    // The first guess pays for the hash that every later one is checked against.
    expect(operations).toHaveLength(3);
    expect(operations[0]).toBe('hash at cost 10');
    const checks = operations.slice(1);
    expect(new Set(checks).size).toBe(1);
    expect(checks[0]?.slice(0, 13)).toBe('check $2b$10$');
    expect(checks[0]).not.toBe(`check ${UNKNOWN_USER_HASH}`);
    for (let i = 0; i < 3; i++)
      expect(await realm.authenticate('elastic', 'elastic-password')).toMatchObject({ username: 'elastic' });
    expect(operations).toHaveLength(4);
    expect(await realm.authenticate('elastic', 'guess-again')).toBe('rejected');
    expect(operations).toHaveLength(5);
  });

  it('the first authentication of an instance costs one bcrypt operation, not two, and is then remembered', async () => {
    const { realm, operations } = countingRealm('elastic-password');
    expect(await realm.authenticate('elastic', 'elastic-password')).toMatchObject({ username: 'elastic' });
    expect(operations).toEqual(['hash at cost 10']);
    expect(await realm.authenticate('elastic', 'elastic-password')).toMatchObject({ username: 'elastic' });
    expect(operations).toHaveLength(1);
    expect(await realm.authenticate('elastic', 'elastic-passwore')).toBe('rejected');
    expect(operations).toHaveLength(2);
  });

  it('without a configured password, a guess still pays the dummy check, and is refused', async () => {
    const { realm, operations } = countingRealm(undefined);
    expect(await realm.authenticate('elastic', '')).toBe('rejected');
    expect(operations).toEqual([`check ${UNKNOWN_USER_HASH}`]);
  });

  it('other names are not its own: no check, and the chain pays the dummy once', async () => {
    const { realm, operations } = countingRealm('elastic-password');
    expect(await realm.authenticate('kibana', 'x')).toBeUndefined();
    expect(operations).toEqual([]);
    const dummies: string[] = [];
    const chain = new RealmChain([realm], async (p, h) => {
      dummies.push(h);
      return verifyPassword(p, h);
    });
    expect(await chain.authenticate('elastic', 'wrong')).toBeUndefined();
    expect(dummies).toEqual([]); // the reserved realm paid its own operation
    expect(operations).toHaveLength(1);
  });

  it('a hashing of the password that fails is tried again at the next attempt, not kept as a failure', async () => {
    let failures = 1;
    usePasswordHashing({
      compare: bcrypt.compare,
      hash: (password, cost) => (failures-- > 0 ? Promise.reject(new Error('worker gone')) : bcrypt.hash(password, cost)),
    });
    try {
      const realm = new ReservedRealm('elastic-password');
      await expect(realm.authenticate('elastic', 'elastic-password')).rejects.toThrow('worker gone');
      expect(await realm.authenticate('elastic', 'elastic-password')).toMatchObject({ username: 'elastic' });
    } finally {
      usePasswordHashing();
    }
  });
});
