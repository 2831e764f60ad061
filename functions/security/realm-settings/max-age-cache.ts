import type { Clock } from '../../clock';

/**
 * A value loaded on first use and loaded again once it is older than `maxAgeMs`, so that a secret changed
 * in Secrets Manager reaches warm functions without a read per request. Concurrent callers share one load;
 * a failed load is not kept (the next caller tries again), and while a stale value is reloading callers
 * wait for the fresh one.
 */
export class MaxAgeCache<T> {
  private entry: { value: Promise<T>; loadedAt: number } | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly maxAgeMs: number,
    private readonly clock: Clock,
  ) {}

  get(): Promise<T> {
    const now = this.clock();
    if (this.entry === undefined || now - this.entry.loadedAt >= this.maxAgeMs) {
      const value = this.load();
      const entry = { value, loadedAt: now };
      this.entry = entry;
      value.catch(() => {
        if (this.entry === entry) this.entry = undefined;
      });
    }
    return this.entry.value;
  }
}
