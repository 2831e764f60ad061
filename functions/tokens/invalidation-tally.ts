import { ElasticsearchError } from '../errors';
import type { PairInvalidation, TokenHalf } from './token-store';

const HALF_NAMES: Record<TokenHalf, string> = { access: 'access_token', refresh: 'refresh_token' };

/** IV-4: counts halves, and keeps an ES error object for each half that could not be invalidated. */
export class InvalidationTally {
  invalidated = 0;
  previouslyInvalidated = 0;
  readonly errors: Record<string, unknown>[] = [];

  addPair(result: PairInvalidation): void {
    this.invalidated += result.invalidated.length;
    this.previouslyInvalidated += result.previouslyInvalidated.length;
  }

  /** Only the error's type and reason are shown: ours never carry a token, and foreign ones are not shown. */
  addFailure(half: TokenHalf | 'tokens', error: unknown): void {
    const cause =
      error instanceof ElasticsearchError
        ? { type: error.type, reason: error.reason }
        : { type: 'exception', reason: 'internal error' };
    this.errors.push({
      type: 'exception',
      reason: `Error invalidating ${half === 'tokens' ? 'tokens' : HALF_NAMES[half]}: ${cause.reason}`,
      caused_by: cause,
    });
  }

  merge(other: InvalidationTally): void {
    this.invalidated += other.invalidated;
    this.previouslyInvalidated += other.previouslyInvalidated;
    this.errors.push(...other.errors);
  }
}
