import type { Clock } from '../clock';
import { type InvalidateRequest, type InvalidateResponse, invalidateResponse } from './invalidate-token';
import { InvalidationTally } from './invalidation-tally';
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
}

/** DELETE /_security/oauth2/token: one half of one pair (IV-5..IV-7), or every active pair of a scope (IV-8..IV-10). */
export class TokenInvalidation {
  constructor(private readonly options: TokenInvalidationOptions) {}

  async invalidate(request: InvalidateRequest): Promise<InvalidationResult> {
    const now = this.options.clock();
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
