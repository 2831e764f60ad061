import bcrypt from 'bcryptjs';
import { usePasswordHashing } from '../../../functions/security/bcrypt';
import { verifyPassword } from '../../../functions/security/password-hashes';
import { RealmChain, UNKNOWN_USER_HASH } from '../../../functions/security/realm';
import { ReservedRealm } from '../../../functions/security/reserved-realm';
import { VerifiedPasswordCache } from '../../../functions/security/verified-passwords';

/** The realm with a verifier that records each hash it is asked to check. */
function countingRealm(password: string | undefined) {
  const checked: string[] = [];
  const realm = new ReservedRealm(
    password,
    new VerifiedPasswordCache(async (candidate, hash) => {
      checked.push(hash);
      return verifyPassword(candidate, hash);
    }),
  );
  return { realm, checked };
}

describe("elastic's password is checked with bcrypt, as every other password", () => {
  it('every wrong password costs one bcrypt check at the default cost; a right one is checked once, then remembered', async () => {
    const { realm, checked } = countingRealm('elastic-password');
    for (let i = 0; i < 3; i++) expect(await realm.authenticate('elastic', `guess-${i}`)).toBe('rejected');
    expect(checked).toHaveLength(3);
    expect(new Set(checked).size).toBe(1);
    expect(checked[0]?.slice(0, 7)).toBe('$2b$10$');
    for (let i = 0; i < 3; i++)
      expect(await realm.authenticate('elastic', 'elastic-password')).toMatchObject({ username: 'elastic' });
    expect(checked).toHaveLength(4);
    expect(await realm.authenticate('elastic', 'guess-again')).toBe('rejected');
    expect(checked).toHaveLength(5);
  });

  it('without a configured password, a guess still pays the dummy check, and is refused', async () => {
    const { realm, checked } = countingRealm(undefined);
    expect(await realm.authenticate('elastic', '')).toBe('rejected');
    expect(checked).toEqual([UNKNOWN_USER_HASH]);
  });

  it('other names are not its own: no check, and the chain pays the dummy once', async () => {
    const { realm, checked } = countingRealm('elastic-password');
    expect(await realm.authenticate('kibana', 'x')).toBeUndefined();
    expect(checked).toEqual([]);
    const dummies: string[] = [];
    const chain = new RealmChain([realm], async (p, h) => {
      dummies.push(h);
      return verifyPassword(p, h);
    });
    expect(await chain.authenticate('elastic', 'wrong')).toBeUndefined();
    expect(dummies).toEqual([]); // the reserved realm paid its own check
    expect(checked).toHaveLength(1);
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
