import type { Clock } from '../../functions/clock';

/** A clock that moves only when a test moves it. */
export class FixedClock {
  constructor(public time = Date.UTC(2026, 0, 1)) {}

  readonly now: Clock = () => this.time;

  advance(ms: number): void {
    this.time += ms;
  }
}

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
