import { StorageUnavailableError, type StoreName } from '../errors';
import { isRetryable } from './retryable';

/**
 * Every storage failure becomes ER-11's 503, naming the store and the operation; the SDK error is kept as the
 * cause for the log only, and whether a retry may succeed (throttling, a timeout) rides along for Retry-After.
 */
export async function guardStorage<T>(store: StoreName, operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw storageFailure(store, operation, error);
  }
}

export function storageFailure(store: StoreName, operation: string, error: unknown): StorageUnavailableError {
  return new StorageUnavailableError(store, operation, { cause: error, retryable: isRetryable(error) });
}
