import { longestPausesMs, pauseBeforeRetry, type RetryPolicy, retry } from '../../functions/retry';
import { BATCH_GET_RETRY } from '../../functions/store/batch-get';
import { DYNAMODB_TIMEOUTS, STORAGE_ANSWER_BOUND_MS } from '../../functions/store/dynamodb-client';
import { WATERMARK_RETRY } from '../../functions/store/dynamodb-revocations';
import { TRANSACTION_CONFLICT_RETRY } from '../../functions/store/dynamodb-token-store';
import { SWEEP_RETRY } from '../../functions/tokens/invalidation-sweep';

class Throttled extends Error {}
class Refused extends Error {}

/** A call that fails `failures` times with `error`, then answers; it counts its calls. */
function failing(failures: number, error: () => Error = () => new Throttled()) {
  const call = async () => {
    call.calls++;
    if (call.calls <= failures) throw error();
    return 'answer';
  };
  call.calls = 0;
  return call;
}

/** The pauses asked for, none waited. */
function pauses() {
  const asked: number[] = [];
  return { asked, pause: async (ms: number) => void asked.push(ms) };
}

const retryThrottled = (error: unknown) => error instanceof Throttled;

describe('retry', () => {
  const policy: RetryPolicy = { attempts: 4, firstPauseMs: 100, jitter: 'none' };

  it('answers what the first successful attempt answers, pausing before each retry', async () => {
    const call = failing(2);
    const { asked, pause } = pauses();

    const answer = await retry(policy, call, { retryIf: retryThrottled, pause });

    expect({ answer, calls: call.calls, asked }).toEqual({ answer: 'answer', calls: 3, asked: [100, 200] });
  });

  it('gives up after the policy attempts, with the last failure and no pause after it', async () => {
    let failures = 0;
    const call = failing(10, () => new Throttled(`failure ${++failures}`));
    const { asked, pause } = pauses();

    const outcome = retry(policy, call, { retryIf: retryThrottled, pause });

    await expect(outcome).rejects.toThrow('failure 4');
    expect({ calls: call.calls, asked }).toEqual({ calls: 4, asked: [100, 200, 400] });
  });

  it('throws a failure the caller does not retry at once', async () => {
    const call = failing(10, () => new Refused('not retried'));
    const { asked, pause } = pauses();

    await expect(retry(policy, call, { retryIf: retryThrottled, pause })).rejects.toThrow(Refused);
    expect({ calls: call.calls, asked }).toEqual({ calls: 1, asked: [] });
  });

  it('doubles the backoff up to its bound', async () => {
    const { asked, pause } = pauses();

    await retry({ attempts: 7, firstPauseMs: 15, maxPauseMs: 100, jitter: 'none' }, failing(6), {
      retryIf: retryThrottled,
      pause,
    });

    expect(asked).toEqual([15, 30, 60, 100, 100, 100]);
  });

  it.each([
    ['full', 0, [0, 0, 0]],
    ['full', 0.5, [50, 100, 200]],
    ['double', 0, [100, 200, 400]],
    ['double', 0.5, [150, 300, 600]],
  ] as const)('spreads each pause by %s jitter (random %d)', async (jitter, random, expected) => {
    const { asked, pause } = pauses();

    await retry({ attempts: 4, firstPauseMs: 100, jitter }, failing(3), { retryIf: retryThrottled, pause, random: () => random });

    expect(asked).toEqual(expected);
  });

  it('keeps a jittered pause under its top however high the random draw', async () => {
    const top = 1 - Number.EPSILON;
    for (const [jitter, limit] of [
      ['full', [100, 200, 400]],
      ['double', [200, 400, 800]],
    ] as const) {
      const { asked, pause } = pauses();
      await retry({ attempts: 4, firstPauseMs: 100, jitter }, failing(3), { retryIf: retryThrottled, pause, random: () => top });
      expect(asked.map((ms, i) => ms < (limit[i] as number))).toEqual([true, true, true]);
    }
  });

  it('waits on a timer when no pause is given', async () => {
    jest.useFakeTimers();
    try {
      let settled = false;
      const answered = retry({ attempts: 2, firstPauseMs: 1_000, jitter: 'none' }, failing(1), { retryIf: retryThrottled });
      void answered.then(() => {
        settled = true;
      });

      await jest.advanceTimersByTimeAsync(999);
      const before = settled;
      await jest.advanceTimersByTimeAsync(1);

      expect({ before, after: settled }).toEqual({ before: false, after: true });
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('the storage retries, against the bound on every answer (STORAGE_ANSWER_BOUND_MS)', () => {
  /** One call's bound when DynamoDB stops answering: every SDK attempt times out, plus its backoff (< 0.5 s). */
  const oneCallMs = DYNAMODB_TIMEOUTS.MAX_ATTEMPTS * DYNAMODB_TIMEOUTS.REQUEST_TIMEOUT_MS + 500;

  it('pauses as long in all as dynamodb-client.ts states', () => {
    const stated = [BATCH_GET_RETRY, TRANSACTION_CONFLICT_RETRY, WATERMARK_RETRY, SWEEP_RETRY].map((policy) => ({
      attempts: policy.attempts,
      longestPausesMs: longestPausesMs(policy),
    }));

    expect(stated).toEqual([
      { attempts: 4, longestPausesMs: 700 },
      { attempts: 9, longestPausesMs: 2_370 },
      { attempts: 5, longestPausesMs: 750 },
      { attempts: 5, longestPausesMs: 750 },
    ]);
  });

  it('pauses each storage retry as its call site says (random draws of one half)', () => {
    const sequence = (policy: RetryPolicy) =>
      Array.from({ length: policy.attempts - 1 }, (_, i) => pauseBeforeRetry(policy, i + 1, () => 0.5));

    expect(sequence(BATCH_GET_RETRY)).toEqual([100, 200, 400]);
    expect(sequence(TRANSACTION_CONFLICT_RETRY)).toEqual([22.5, 45, 90, 180, 360, 360, 360, 360]);
    expect(sequence(WATERMARK_RETRY)).toEqual([25, 50, 100, 200]);
    expect(sequence(SWEEP_RETRY)).toEqual([25, 50, 100, 200]);
  });

  it('fits a retry of answers (unprocessed keys, transaction conflicts) and one timed-out call within the bound', () => {
    for (const policy of [BATCH_GET_RETRY, TRANSACTION_CONFLICT_RETRY]) {
      expect(longestPausesMs(policy) + oneCallMs).toBeLessThan(STORAGE_ANSWER_BOUND_MS);
    }
  });

  it('lets a retry of timeouts (watermark, sweep) pass the bound when every attempt times out, as stated', () => {
    for (const policy of [WATERMARK_RETRY, SWEEP_RETRY]) {
      expect(policy.attempts * oneCallMs).toBeGreaterThan(STORAGE_ANSWER_BOUND_MS);
    }
  });
});
