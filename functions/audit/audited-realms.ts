import { type Realm, RealmChain } from '../security/authc/realm';

/** Told of each realm that tried a user's credentials and did not authenticate them. */
export type RealmFailureListener = (realm: string, username: string) => void;

/** A realm that reports each attempt it does not authenticate. */
function observedRealm(realm: Realm, onFailure: RealmFailureListener): Realm {
  return {
    ref: realm.ref,
    lookup: (username) => realm.lookup(username),
    authenticate: async (username, password) => {
      const result = await realm.authenticate(username, password);
      if (result === undefined || typeof result === 'string') onFailure(realm.ref.name, username);
      return result;
    },
  };
}

/**
 * The chain's realms, each reporting its own failures, as Elasticsearch's RealmsAuthenticator audits every realm
 * that tried and did not authenticate (realm_authentication_failed), even when a later one does. Built for one
 * request: a few small objects, beside a password check.
 */
export function observedRealms(chain: Pick<RealmChain, 'realms'>, onFailure: RealmFailureListener): RealmChain {
  return new RealmChain(chain.realms.map((realm) => observedRealm(realm, onFailure)));
}
