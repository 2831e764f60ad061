import { DeferredRealm } from '../../../functions/security/deferred-realm';
import { RESERVED_REALM, ReservedRealm } from '../../../functions/security/reserved-realm';

describe('a realm built after an asynchronous read (the elastic password from Secrets Manager)', () => {
  it('reads nothing until the first authentication, then reads once for the life of the process', async () => {
    // Prepare
    const reads: string[] = [];
    const realm = new DeferredRealm(RESERVED_REALM, async () => {
      reads.push('read');
      return new ReservedRealm('bootstrap-password');
    });
    expect(reads).toHaveLength(0);

    // Act
    const results = await Promise.all([
      realm.authenticate('elastic', 'bootstrap-password'),
      realm.authenticate('elastic', 'wrong'),
      realm.authenticate('someone_else', 'whatever'),
    ]);
    await realm.authenticate('elastic', 'bootstrap-password');

    // Assess
    expect(reads).toHaveLength(1);
    expect(results[0]).toMatchObject({ username: 'elastic', authentication_realm: RESERVED_REALM });
    expect(results.slice(1)).toEqual(['rejected', undefined]);
    expect(realm.ref).toBe(RESERVED_REALM);
  });

  it('does not keep a failed read: the next request tries again', async () => {
    // Prepare
    let available = false;
    let reads = 0;
    const realm = new DeferredRealm(RESERVED_REALM, async () => {
      reads += 1;
      if (!available) throw new Error('secret store unreachable');
      return new ReservedRealm('bootstrap-password');
    });

    // Act, Assess
    await expect(realm.authenticate('elastic', 'bootstrap-password')).rejects.toThrow('secret store unreachable');
    available = true;
    await expect(realm.authenticate('elastic', 'bootstrap-password')).resolves.toMatchObject({ username: 'elastic' });
    await realm.authenticate('elastic', 'bootstrap-password');
    expect(reads).toBe(2);
  });
});
