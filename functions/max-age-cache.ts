import type { Clock } from './clock';

/**
 * A value read from elsewhere (a secret) and kept for at most `maxAgeMs`, so a change made there takes effect
 * within that time without a read per request. Concurrent requests that find it expired share one read.
 *
 * A read that fails while an older value is held keeps that value and is tried again after `retryAfterMs`:
 * an outage of the source must not lock every caller out, and a changed value takes effect as soon as the
 * source answers again. With no value yet, the failure is the caller's.
 */
export class MaxAgeCache<T> {
  private value: { readonly value: T; readonly freshUntil: number } | undefined;
  private pending: Promise<T> | undefined;

  constructor(
    private readonly options: {
      readonly read: () => Promise<T>;
      readonly maxAgeMs: number;
      readonly clock: Clock;
      readonly retryAfterMs?: number;
      /** Told when a failed read was answered with the older value. */
      readonly onStale?: (error: unknown) => void;
    },
  ) {}

  async get(): Promise<T> {
    if (this.value !== undefined && this.options.clock() < this.value.freshUntil) return this.value.value;
    this.pending ??= this.refresh().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async refresh(): Promise<T> {
    try {
      const value = await this.options.read();
      this.value = { value, freshUntil: this.options.clock() + this.options.maxAgeMs };
      return value;
    } catch (error) {
      if (this.value === undefined) throw error;
      const retryAfterMs = Math.min(this.options.retryAfterMs ?? 10_000, this.options.maxAgeMs);
      this.value = { value: this.value.value, freshUntil: this.options.clock() + retryAfterMs };
      this.options.onStale?.(error);
      return this.value.value;
    }
  }
}
