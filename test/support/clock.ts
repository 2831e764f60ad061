import type { Clock } from '../../functions/clock';

/**
 * A clock that moves only when a test moves it. It starts at the real time (to the second) because
 * DynamoDB Local does run TTL deletion against the real clock: pairs stamped in the past would be
 * deleted under the test's feet.
 */
export class FixedClock {
  constructor(public time = Math.floor(Date.now() / 1000) * 1000) {}

  readonly now: Clock = () => this.time;

  advance(ms: number): void {
    this.time += ms;
  }
}

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
