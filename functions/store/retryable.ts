/** Errors after which the same request may succeed: throttling and transient service or network faults. */
const RETRYABLE_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TimeoutError',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

export function isRetryable(error: unknown): boolean {
  const { name, code, $retryable } = (error ?? {}) as { name?: string; code?: string; $retryable?: unknown };
  return $retryable !== undefined || RETRYABLE_ERRORS.has(name ?? '') || RETRYABLE_ERRORS.has(code ?? '');
}
