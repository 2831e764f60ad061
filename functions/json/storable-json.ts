import { IllegalArgumentError } from '../errors';

/**
 * How deep a user or role body may nest, counting the body itself as the first level: DynamoDB's limit for a
 * document (32 levels), so that what is accepted could be stored as a DynamoDB map as well as the JSON text it
 * is kept as now, and far beyond any real role or metadata. Without a limit, a body 10,000 deep passed
 * JSON.parse and then failed in JSON.stringify (a RangeError, answered as a storage outage). Checked before
 * any write: deeper is the caller's error, a 400.
 */
const MAX_BODY_DEPTH = 32;

/**
 * Integers beyond 2^53 are rounded by JSON.parse: stored, they would come back as another number. Magnitudes
 * outside DynamoDB's number range (1e-130 to 1e126) could not be written as a DynamoDB number at all.
 */
function storableNumber(value: number): boolean {
  if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value))) return false;
  const magnitude = Math.abs(value);
  return magnitude === 0 || (magnitude >= 1e-130 && magnitude < 1e126);
}

/** Where in the body, shortened: a field name may be as long as the body allows. */
function describe(path: readonly string[]): string {
  if (path.length === 0) return 'the body';
  const shown = path.slice(0, 5).map((key) => (key.length > 40 ? `${key.slice(0, 40)}...` : key));
  return `[${shown.join('.')}${path.length > 5 ? '...' : ''}]`;
}

/**
 * Why this service could not store a body and give it back as sent, or undefined when it can: nested deeper than
 * MAX_BODY_DEPTH, or holding a number JSON.parse could not keep (`1e400` is Infinity, which JSON has no way to
 * write back, and `12345678901234567890` is rounded). Walked with a stack, not recursion: a body 10,000 deep is
 * just data. The reason names where, never the value (a number in `password` is still a password).
 */
export function unstorableReason(body: unknown): string | undefined {
  const pending: { value: unknown; depth: number; path: string[] }[] = [{ value: body, depth: 1, path: [] }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, depth, path } = next;
    if (typeof value === 'number' && !storableNumber(value)) {
      return `the number at ${describe(path)} cannot be stored exactly: numbers must be finite, whole numbers between -(2^53-1) and 2^53-1, and others of a magnitude from 1e-130 to 1e126`;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_BODY_DEPTH) {
      return `the body is nested more than [${MAX_BODY_DEPTH}] levels deep at ${describe(path)}, more than the store can hold`;
    }
    const entries = Array.isArray(value) ? value.map((item, i) => [String(i), item] as const) : Object.entries(value);
    for (const [key, item] of entries) pending.push({ value: item, depth: depth + 1, path: [...path, key] });
  }
  return undefined;
}

/** Refuses, as the caller's error (a 400, before any write), a body this service could not store exactly. */
export function assertStorableJson(body: unknown): void {
  const reason = unstorableReason(body);
  if (reason !== undefined) throw new IllegalArgumentError(reason);
}
