import type { Clock } from '../../functions/clock';

/**
 * A clock that moves only when a test moves it. It starts at the real time (to the second): DynamoDB Local
 * deletes items whose TTL attribute is in the past, so pairs created on a clock stuck in the past would
 * vanish in the middle of a test.
 */
export class FixedClock {
  constructor(public time = Math.floor(Date.now() / 1_000) * 1_000) {}

  readonly now: Clock = () => this.time;

  advance(ms: number): void {
    this.time += ms;
  }
}

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
