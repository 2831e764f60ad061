import type { Authentication, RealmRef, User } from './authentication';

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
  /** The user by name alone, for run-as (Elasticsearch's Realm.lookupUser); undefined when unknown or disabled. */
  lookup(username: string): Promise<User | undefined>;
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

  /** The first realm of the chain that knows the user, as Elasticsearch looks up a run-as user. */
  async lookup(username: string): Promise<{ user: User; realm: RealmRef } | undefined> {
    for (const realm of this.realms) {
      const user = await realm.lookup(username);
      if (user !== undefined) return { user, realm: realm.ref };
    }
    return undefined;
  }
}
