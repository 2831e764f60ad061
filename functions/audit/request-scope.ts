import { AsyncLocalStorage } from 'node:async_hooks';
import type { Realm } from '../security/realm';
import type { RequestAudit } from './audit-trail';

/**
 * The audit of the request being served, for what runs below the pipeline without a request in hand: the realms
 * of the chain, each of which fails on its own (realm_authentication_failed). Only a request of an enabled trail
 * has one.
 */
const scope = new AsyncLocalStorage<RequestAudit>();

export function withRequestAudit<R>(audit: RequestAudit | undefined, run: () => Promise<R>): Promise<R> {
  return audit === undefined ? run() : scope.run(audit, run);
}

/**
 * A realm of the chain that reports each attempt it does not authenticate, as Elasticsearch's RealmsAuthenticator
 * audits every realm that tried and failed. Outside an audited request it is the realm itself.
 */
export function auditedRealm(realm: Realm): Realm {
  return {
    ref: realm.ref,
    lookup: (username) => realm.lookup(username),
    authenticate: async (username, password) => {
      const result = await realm.authenticate(username, password);
      if (result === undefined || typeof result === 'string')
        scope.getStore()?.realmAuthenticationFailed(realm.ref.name, username);
      return result;
    },
  };
}
