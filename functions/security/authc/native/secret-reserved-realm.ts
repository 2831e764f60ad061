import type { MaxAgeCache } from '../../../max-age-cache';
import type { User } from '../authentication';
import type { Realm, RealmResult } from '../realm';
import { ELASTIC, ELASTIC_USER, RESERVED_REALM, type ReservedRealm } from './reserved-realm';

/**
 * The reserved realm of a deployment, whose `elastic` password lives in Secrets Manager: read at the first
 * authentication of `elastic` that needs it, then again once it is older than its maximum age
 * (ELASTIC_PASSWORD_MAX_AGE), so a changed password is the only one accepted within that time. Other user
 * names never cause a read.
 */
export class SecretReservedRealm implements Realm {
  readonly ref = RESERVED_REALM;

  constructor(private readonly realm: MaxAgeCache<ReservedRealm>) {}

  async authenticate(username: string, password: string): Promise<RealmResult> {
    if (username !== ELASTIC_USER) return undefined;
    return (await this.realm.get()).authenticate(username, password);
  }

  /** Looking `elastic` up (run-as) needs no password, so it reads no secret. */
  async lookup(username: string): Promise<User | undefined> {
    return username === ELASTIC_USER ? ELASTIC : undefined;
  }
}
