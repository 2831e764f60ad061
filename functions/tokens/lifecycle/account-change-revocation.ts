import type { Clock } from '../../clock';
import type { AccountChange, AccountChanges } from '../../security/authc/account-changes';
import { scopeKeyOf } from '../scope-digest';
import type { InvalidationStore } from '../token-store';

export interface AccountChangeRevocationOptions {
  readonly store: Pick<InvalidationStore, 'revoke'>;
  readonly clock: Clock;
  /** RF-1: REFRESH_TOKEN_LIFETIME: how long the watermark is kept. */
  readonly refreshLifetimeMs: number;
  /** Told of each revocation (a log line and a metric, lifecycle-telemetry.ts). */
  readonly revoked: (change: AccountChange) => void;
}

/**
 * LC-1 (REVOKE_ON_ACCOUNT_CHANGE): an account change refuses every token of that user in that realm from then
 * on, by the user-in-realm revocation watermark that `DELETE {"username", "realm_name"}` writes (revocation.ts):
 * one write whatever the number of tokens, checked by every token use in the read it makes anyway. No sweep
 * follows (nobody waits for counts): the pairs stay in the indexes, refused, until they expire, and a later
 * realm- or user-wide invalidation counts them as it finds them.
 */
export class AccountChangeRevocation implements AccountChanges {
  constructor(private readonly options: AccountChangeRevocationOptions) {}

  async changed(change: AccountChange): Promise<void> {
    const scope = scopeKeyOf({ realm: change.realm, username: change.username });
    // A name longer than any the service accepts has no pair to refuse.
    if (scope === undefined) return;
    const { store, clock, refreshLifetimeMs } = this.options;
    await store.revoke({ scope, through: clock(), lifetimeMs: refreshLifetimeMs });
    this.options.revoked(change);
  }
}
