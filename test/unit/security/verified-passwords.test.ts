import { hashPassword } from '../../../functions/security/authc/passwords/bcrypt';
import { verifyPassword } from '../../../functions/security/authc/passwords/password-hashes';
import { VerifiedPasswordCache } from '../../../functions/security/authc/passwords/verified-passwords';

/** The real bcrypt check, counted: the cache's whole point is how often it runs. */
function countingBcrypt() {
  const calls = { count: 0 };
  const verify = async (password: string, hash: string) => {
    calls.count++;
    return verifyPassword(password, hash);
  };
  return { calls, verify };
}

describe('warm-instance cache of successful bcrypt checks (DESIGN §4)', () => {
  let hash: string;
  let otherHash: string;

  beforeAll(async () => {
    hash = await hashPassword('first-password', 4);
    otherHash = await hashPassword('second-password', 4);
  });

  it('pays bcrypt once for repeated successful checks of the same user and hash', async () => {
    const { calls, verify } = countingBcrypt();
    const cache = new VerifiedPasswordCache(verify);
    for (let i = 0; i < 5; i++) expect(await cache.matches('alice', 'first-password', hash)).toBe(true);
    expect(calls.count).toBe(1);
  });

  it('never caches a failure: each wrong password pays bcrypt and stays wrong', async () => {
    const { calls, verify } = countingBcrypt();
    const cache = new VerifiedPasswordCache(verify);
    expect(await cache.matches('alice', 'wrong-password', hash)).toBe(false);
    expect(await cache.matches('alice', 'wrong-password', hash)).toBe(false);
    expect(calls.count).toBe(2);
    expect(cache.size).toBe(0);
  });

  it('a cached success does not let another password in', async () => {
    const { verify } = countingBcrypt();
    const cache = new VerifiedPasswordCache(verify);
    expect(await cache.matches('alice', 'first-password', hash)).toBe(true);
    expect(await cache.matches('alice', 'wrong-password', hash)).toBe(false);
  });

  it('a password change (a new stored hash) is checked afresh: the old password fails at once', async () => {
    const { calls, verify } = countingBcrypt();
    const cache = new VerifiedPasswordCache(verify);
    expect(await cache.matches('alice', 'first-password', hash)).toBe(true);
    expect(await cache.matches('alice', 'first-password', otherHash)).toBe(false);
    expect(await cache.matches('alice', 'second-password', otherHash)).toBe(true);
    expect(calls.count).toBe(3);
  });

  it('an entry is per user: the same hash under another name is checked afresh', async () => {
    const { calls, verify } = countingBcrypt();
    const cache = new VerifiedPasswordCache(verify);
    await cache.matches('alice', 'first-password', hash);
    await cache.matches('bob', 'first-password', hash);
    expect(calls.count).toBe(2);
  });

  it('holds at most its limit of entries, dropping the oldest', async () => {
    const cache = new VerifiedPasswordCache(async () => true, 2);
    await cache.matches('a', 'password', hash);
    await cache.matches('b', 'password', hash);
    await cache.matches('c', 'password', hash);
    expect(cache.size).toBe(2);
  });
});
