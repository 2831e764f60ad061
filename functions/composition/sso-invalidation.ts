import type { SweepRunner } from '../tokens/sweep-runner';
import { TokenInvalidation } from '../tokens/token-invalidation';
import type { Core } from './core';

/** A logout invalidates the pair it was given, never a realm or a user: no sweep runs behind it. */
const NO_SWEEPS: Pick<SweepRunner, 'start'> = {
  start: () => Promise.reject(new Error('a single sign-on logout invalidates one pair, never a realm or a user')),
};

/** The invalidation a single sign-on function logs out with (the local API shares its own). */
export const ssoInvalidation = (core: Core) =>
  new TokenInvalidation({
    store: core.tokenStore,
    clock: core.clock,
    sweeps: NO_SWEEPS,
    refreshLifetimeMs: core.config.refreshTokenLifetimeMs,
    events: core.revocationEvents,
  });
