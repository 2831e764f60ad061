import { StorageUnavailableError, type StoreName } from '../../../functions/errors';

/**
 * What an injected fault does to one call of an in-memory store, as DynamoDB and the network do to the
 * real one (what the DynamoDB adapter then throws, through the storage guard):
 * - `unavailable`: the call fails before anything is written (a throttle, a 500, a refused connection);
 * - `lostReply`: the write happens, and the caller gets the error all the same (a reply that timed out).
 */
export type InjectedFault = 'unavailable' | 'lostReply';

interface Pending<Operation> {
  readonly operation: Operation;
  fault?: InjectedFault;
  hook?: () => unknown;
  times: number;
}

/**
 * Faults and interleavings on demand, by operation name: each call of the store asks `around` to run its
 * work. A hook runs once, just before the work's conditions are evaluated: what another caller does in
 * between (a concurrent refresh, an invalidation), as DynamoDB would serialise it.
 */
export class FaultSwitch<Operation extends string> {
  private readonly pending: Pending<Operation>[] = [];
  /** Every call, by operation, in order: what the stand-in was asked to do. */
  readonly calls: Operation[] = [];

  constructor(private readonly store: StoreName) {}

  /** The next `times` calls of `operation` meet `fault`. */
  failNext(operation: Operation, fault: InjectedFault = 'unavailable', times = 1): void {
    this.pending.push({ operation, fault, times });
  }

  /** Runs `hook` once, inside the next call of `operation`, before that call's conditions are evaluated. */
  beforeNext(operation: Operation, hook: () => unknown): void {
    this.pending.push({ operation, hook, times: 1 });
  }

  /** From now on every call fails before it is applied: a process that died, or storage that is gone. */
  failAll(): void {
    this.failingAll = true;
  }

  private failingAll = false;

  async around<T>(operation: Operation, work: () => T): Promise<T> {
    this.calls.push(operation);
    // Another caller's turn first: the work below is never interleaved with anything, like a single write.
    await Promise.resolve();
    if (this.failingAll) throw this.error(operation);
    const hooked = this.take(operation, (entry) => entry.hook !== undefined);
    if (hooked?.hook) await hooked.hook();
    const fault = this.take(operation, (entry) => entry.fault !== undefined)?.fault;
    if (fault === 'unavailable') throw this.error(operation);
    const result = work();
    if (fault === 'lostReply') throw this.error(operation);
    return result;
  }

  private take(operation: Operation, matches: (entry: Pending<Operation>) => boolean): Pending<Operation> | undefined {
    const index = this.pending.findIndex((entry) => entry.operation === operation && matches(entry));
    if (index === -1) return undefined;
    const entry = this.pending[index] as Pending<Operation>;
    if (--entry.times === 0) this.pending.splice(index, 1);
    return entry;
  }

  /** What the storage guard makes of a timeout or a throttle: a retryable 503 (ER-11). */
  private error(operation: string): StorageUnavailableError {
    return new StorageUnavailableError(this.store, operation, { retryable: true, cause: new Error('injected fault') });
  }
}
