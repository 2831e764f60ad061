/**
 * The one way this service tries a storage call again (a throttled read, a transaction conflict, a write
 * whose reply was lost): how many attempts, and how long between them, is each caller's policy, named and
 * explained beside the call it retries. The longest each policy waits, set against the bound on every
 * answer, is stated in one place: STORAGE_ANSWER_BOUND_MS (store/dynamodb-client.ts).
 */

/**
 * How each pause is spread, so that callers that failed together do not come back together:
 * - `none`: the backoff as it is;
 * - `full`: anywhere from nothing up to the backoff (AWS's "full jitter");
 * - `double`: anywhere from the backoff up to twice it.
 */
type Jitter = 'none' | 'full' | 'double';

/** How often a call is tried, and how long to pause between attempts: exponential, bounded, spread. */
export interface RetryPolicy {
  /** Calls in all, the first one included. */
  readonly attempts: number;
  /** The backoff before the first retry, doubled before each retry after it. */
  readonly firstPauseMs: number;
  /** The backoff grows no further than this. */
  readonly maxPauseMs?: number;
  readonly jitter: Jitter;
}

interface RetryOptions {
  /** Whether a failure may pass if tried again; any other is thrown at once. */
  readonly retryIf: (error: unknown) => boolean;
  /** How a pause is waited: a real timer, unless a test counts the pauses instead. */
  readonly pause?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1), for the jitter. */
  readonly random?: () => number;
}

/** Waits `ms` on a real timer. */
export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The pause before the `nth` retry (1 for the first): the policy's backoff, spread by its jitter. */
export function pauseBeforeRetry(policy: RetryPolicy, nth: number, random: () => number = Math.random): number {
  const backoff = Math.min(policy.maxPauseMs ?? Number.POSITIVE_INFINITY, policy.firstPauseMs * 2 ** (nth - 1));
  switch (policy.jitter) {
    case 'none':
      return backoff;
    case 'full':
      return random() * backoff;
    case 'double':
      return backoff * (1 + random());
  }
}

/** The longest a policy pauses in all, every jitter at its top: the wait it adds to its calls' own. */
export function longestPausesMs(policy: RetryPolicy): number {
  let total = 0;
  for (let nth = 1; nth < policy.attempts; nth++) total += pauseBeforeRetry(policy, nth, () => 1);
  return total;
}

/**
 * The result of `call`, tried up to `policy.attempts` times while it fails with what `retryIf` accepts,
 * with the policy's pause between attempts; the last failure, or the first `retryIf` refuses, is thrown.
 */
export async function retry<T>(policy: RetryPolicy, call: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { retryIf, pause: wait = pause, random = Math.random } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= policy.attempts || !retryIf(error)) throw error;
      await wait(pauseBeforeRetry(policy, attempt, random));
    }
  }
}
