import type { Clock } from '../../clock';
import { scopeOfPair } from '../revocation';
import { digestsOf } from '../scope-digest';
import { openSuccessor } from '../superseding';
import type { TokenPair } from '../token-pair';
import { type ActivityBounds, type InvalidationId, newInvalidationId, type PairRef, type TokenStore } from '../token-store';
import { decodeToken } from '../token-string';

/**
 * How far a family is walked in one request, each way: a family grows by one pair a refresh, and a client
 * refreshing every 20 minutes makes 72 a day. A longer one is revoked as far as this and reported.
 */
export const MAX_FAMILY_STEPS = 500;

/** What a detected reuse tells the operator (telemetry/lifecycle-telemetry.ts): ids and counts, never a token. */
export interface ReuseEvents {
  detected(reuse: { readonly pairId: string; readonly realm: string; readonly pairsRevoked: number }): void;
  revocationFailed(reuse: { readonly pairId: string; readonly realm: string }, error: unknown): void;
}

export interface RefreshReuseOptions {
  readonly store: Pick<TokenStore, 'get' | 'invalidatePair'>;
  readonly clock: Clock;
  /** RF-1: REFRESH_TOKEN_LIFETIME: a pair older is already dead. */
  readonly refreshLifetimeMs: number;
  readonly events: ReuseEvents;
}

/** A step of a walk: the pair to revoke, and the secret its sealed successor opens with (forward only). */
interface FamilyStep {
  readonly ref: PairRef;
  readonly refreshSecret?: Buffer;
  /** The pair as read already, when it can no longer change (a refreshed pair's successor is fixed). */
  readonly read?: TokenPair;
}

interface WalkRun {
  readonly bounds: ActivityBounds;
  /** Recorded on each half revoked (see InvalidationId): a write repeated after a lost reply knows its own. */
  readonly operation: InvalidationId;
  readonly tally: { revoked: number; readonly failures: unknown[] };
}

class FamilyTooLongError extends Error {
  constructor() {
    super(`the family is longer than ${MAX_FAMILY_STEPS} pairs each way`);
    this.name = 'FamilyTooLongError';
  }
}

/**
 * LC-2 (REFRESH_REUSE_DETECTION; OAuth 2.0 Security BCP, RFC 9700 §4.14.2): a refresh token presented after it
 * was used and its 30-second window has passed was stolen or replayed, so the whole family of its pair is
 * revoked, both halves of every pair: the thief's and the legitimate client's alike.
 *
 * The family is walked from the presented pair both ways. Forward, by the sealed successors (superseding.ts):
 * the presented refresh token's secret opens its pair's successor, whose refresh token opens the next one, and
 * so on to the pair in use now; this needs nothing stored but what a refresh always stored, so pairs of every
 * version are followed. Back, by `refreshedFrom`, to the grant. A pair is revoked before its successor is read:
 * once revoked it cannot be refreshed any more, so a refresh racing the walk cannot add a pair behind it.
 */
export class RefreshReuse {
  constructor(private readonly options: RefreshReuseOptions) {}

  /** Revokes the family of `pair`, whose refresh token (with `refreshSecret`) came back past its window. */
  async revokeFamily(pair: TokenPair, refreshSecret: Buffer): Promise<void> {
    const now = this.options.clock();
    const bounds: ActivityBounds = { now, createdNotBefore: now - this.options.refreshLifetimeMs };
    const operation = newInvalidationId();
    const scope = digestsOf(scopeOfPair(pair));
    const facts = { pairId: pair.id, realm: scopeOfPair(pair).realm };
    const run: WalkRun = { bounds, operation, tally: { revoked: 0, failures: [] } };
    try {
      await this.walk({ ref: { pairId: pair.id, scope }, refreshSecret, read: pair }, run, 'forward');
      if (pair.refreshedFrom !== undefined) await this.walk({ ref: { pairId: pair.refreshedFrom, scope } }, run, 'back');
    } catch (error) {
      run.tally.failures.push(error);
    }
    // The refusal stands either way; what the walk revoked stays revoked, and the operator is told of the rest.
    if (run.tally.failures.length === 0) this.options.events.detected({ ...facts, pairsRevoked: run.tally.revoked });
    else this.options.events.revocationFailed(facts, run.tally.failures[0]);
  }

  /**
   * Revokes pair after pair in one direction. A pair whose write fails is reported and the walk goes on (its
   * successor is still read: a write applied with its reply lost revoked it all the same); a failed read ends it.
   */
  private async walk(first: FamilyStep, run: WalkRun, way: 'forward' | 'back'): Promise<void> {
    let step: FamilyStep | undefined = first;
    for (let n = 0; step !== undefined; n++) {
      if (n >= MAX_FAMILY_STEPS) throw new FamilyTooLongError();
      try {
        const revoked = await this.options.store.invalidatePair(step.ref.pairId, run.bounds, run.operation);
        if (revoked !== undefined) run.tally.revoked++;
      } catch (error) {
        run.tally.failures.push(error);
      }
      const pair: TokenPair | undefined = step.read ?? (await this.options.store.get(step.ref));
      step = pair === undefined ? undefined : way === 'forward' ? successorStep(pair, step) : predecessorStep(pair, step);
    }
  }
}

/** The pair refreshed from `pair`, found through its sealed successor. */
function successorStep(pair: TokenPair, step: FamilyStep): FamilyStep | undefined {
  if (pair.superseding === undefined || step.refreshSecret === undefined) return undefined;
  const successor = openSuccessor(pair.superseding, step.refreshSecret, pair.id);
  const parts = successor === undefined ? undefined : decodeToken(successor.refreshToken);
  if (parts === undefined) return undefined;
  return { ref: { pairId: parts.pairId, scope: step.ref.scope }, refreshSecret: parts.secret };
}

/** The pair `pair` was refreshed from. */
function predecessorStep(pair: TokenPair, step: FamilyStep): FamilyStep | undefined {
  return pair.refreshedFrom === undefined ? undefined : { ref: { pairId: pair.refreshedFrom, scope: step.ref.scope } };
}
