import type { Clock } from '../clock';
import { type InvalidateRequest, type InvalidateResponse, invalidateResponse } from './invalidate-token';
import { InvalidationTally } from './invalidation-tally';
import { NO_REVOCATION_EVENTS, type RevocationCause, type RevocationEvents, type RevocationScope } from './revocation-events';
import type { SweepRunner } from './sweep-runner';
import { PAIR_LIFETIME_MS } from './token-pair';
import { type InvalidationStore, newInvalidationId, type TokenHalf } from './token-store';
import { decodeToken, hashSecret } from './token-string';

export interface InvalidationResult {
  /** IV-7: false for a single token that is malformed, unknown, wrong or past 24 h (404). */
  readonly found: boolean;
  readonly response: InvalidateResponse;
  /** Set when a realm- or user-wide sweep goes on after the response (the Warning header says so). */
  readonly continuing: boolean;
}

export interface TokenInvalidationOptions {
  readonly store: InvalidationStore;
  readonly clock: Clock;
  readonly sweeps: Pick<SweepRunner, 'start'>;
  /** RF-1: REFRESH_TOKEN_LIFETIME; a pair older is a missing one (IV-7). Elasticsearch's 24 h by default. */
  readonly refreshLifetimeMs?: number;
  /** Where each invalidation that found something is announced (bounded: revocation-events.ts); none by default. */
  readonly events?: RevocationEvents;
}

function scopeOf(request: InvalidateRequest): RevocationScope {
  if (request.kind === 'scope') return { type: 'realm_or_user', realm: request.realm, username: request.username };
  return { type: 'token', half: request.kind === 'token' ? 'access' : 'refresh' };
}

/** DELETE /_security/oauth2/token: one half of one pair (IV-5..IV-7), or every active pair of a scope (IV-8..IV-10). */
export class TokenInvalidation {
  constructor(private readonly options: TokenInvalidationOptions) {}

  /** `cause`: the API invalidating, as the revocation event names it. */
  async invalidate(request: InvalidateRequest, cause: RevocationCause = 'invalidate_token'): Promise<InvalidationResult> {
    const now = this.options.clock();
    const result = await this.invalidateNow(request, now);
    if (result.found) await this.announce(cause, scopeOf(request), result, now);
    return result;
  }

  /** SAML-I-4's invalidation of a session's pairs, made by its own code (app/saml-session-invalidation.ts). */
  async announceSession(realm: string, invalidatedPairs: number): Promise<void> {
    const response = { invalidated_tokens: invalidatedPairs, previously_invalidated_tokens: 0, error_count: 0 };
    const result = { found: true, response, continuing: false };
    await this.announce('saml_invalidate', { type: 'saml_session', realm }, result, this.options.clock());
  }

  private async announce(cause: RevocationCause, scope: RevocationScope, result: InvalidationResult, at: number) {
    const { response, continuing } = result;
    await (this.options.events ?? NO_REVOCATION_EVENTS).announce({
      cause,
      scope,
      invalidatedTokens: response.invalidated_tokens,
      previouslyInvalidatedTokens: response.previously_invalidated_tokens,
      errorCount: response.error_count,
      continuing,
      at,
    });
  }

  private async invalidateNow(request: InvalidateRequest, now: number): Promise<InvalidationResult> {
    if (request.kind === 'scope') return this.invalidateScope(request, now);
    const half: TokenHalf = request.kind === 'token' ? 'access' : 'refresh';
    const parts = decodeToken(request.kind === 'token' ? request.token : request.refreshToken);
    const tally = new InvalidationTally();
    if (parts === undefined || parts.kind !== half)
      return { found: false, response: invalidateResponse(tally), continuing: false };
    const bounds = { now, createdNotBefore: now - (this.options.refreshLifetimeMs ?? PAIR_LIFETIME_MS) };
    const target = { pairId: parts.pairId, half, secretHash: hashSecret(parts.secret), soleHalf: parts.soleHalf };
    const outcome = await this.options.store.invalidateHalf(target, bounds, newInvalidationId());
    if (outcome === 'invalidated') tally.invalidated++;
    if (outcome === 'previously_invalidated') tally.previouslyInvalidated++;
    return { found: outcome !== 'not_found', response: invalidateResponse(tally), continuing: false };
  }

  /**
   * IV-8..IV-10: the watermark makes every token of the scope unusable before the sweep starts; the answer
   * counts what the sweep flipped within the budget, and says when the rest goes on in the background.
   */
  private async invalidateScope(scope: { realm?: string; username?: string }, now: number): Promise<InvalidationResult> {
    const { tally, continuing } = await this.options.sweeps.start(scope, now);
    return { found: true, response: invalidateResponse(tally), continuing };
  }
}
