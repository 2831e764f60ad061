import type { Authentication, RealmRef } from './authentication';

/**
 * A realm of the chain. `authenticate` answers:
 * - an Authentication when the credentials are good;
 * - `undefined` when the realm does not know the user (the chain goes on);
 * - `'rejected'` when the realm owns the user and the credentials are wrong. The reserved realm uses
 *   this so that `elastic` can never be shadowed by a file user of the same name.
 */
export interface Realm {
  readonly ref: RealmRef;
  authenticate(username: string, password: string): Promise<Authentication | undefined | 'rejected'>;
}

export class RealmChain {
  constructor(readonly realms: readonly Realm[]) {}

  async authenticate(username: string, password: string): Promise<Authentication | undefined> {
    for (const realm of this.realms) {
      const result = await realm.authenticate(username, password);
      if (result === 'rejected') return undefined;
      if (result !== undefined) return result;
    }
    return undefined;
  }
}
