import { javaTrim } from './java-text';

/**
 * Elasticsearch's time values, parsed exactly as its `TimeValue.parseTimeValue` does, so that a setting
 * copied from an `elasticsearch.yml` means the same here, and one Elasticsearch refuses is refused too:
 * - units are matched on the lower-cased value (`20S`, `1H` are 20s and 1h), except minutes: `M` is not `m`
 *   (Elasticsearch keeps it for months);
 * - the number must be a whole one (`1.5h` is refused with its "fractional time values" message);
 * - `-1` is the one negative value, and `0` / `-1` need no unit.
 */

const UNITS_MS: readonly (readonly [unit: string, ms: number])[] = [
  // In the order Elasticsearch tries the suffixes: `ms` before `s`, and `nanos` / `micros` before both.
  ['nanos', 1e-6],
  ['micros', 1e-3],
  ['ms', 1],
  ['s', 1_000],
  ['m', 60_000],
  ['h', 3_600_000],
  ['d', 86_400_000],
];

/** What Java's Long.parseLong accepts: an optional sign and decimal digits, within 64 bits. */
const JAVA_LONG = /^[+-]?\d+$/;
/** What Java's Double.parseDouble accepts in decimal form (hexadecimal floats aside). */
const JAVA_DOUBLE = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/;

export class TimeValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeValueError';
  }
}

/** The number before the unit, as `TimeValue.parse`: whole, and not below -1. */
function amountOf(input: string, normalized: string, unit: string, setting: string): number {
  const number = javaTrim(normalized.slice(0, normalized.length - unit.length));
  if (JAVA_LONG.test(number) && BigInt(number) < 2n ** 63n && BigInt(number) >= -(2n ** 63n)) {
    const value = Number(number);
    if (value < -1) {
      throw new TimeValueError(
        `failed to parse setting [${setting}] with value [${input}] as a time value: negative durations are not supported`,
      );
    }
    return value;
  }
  if (JAVA_DOUBLE.test(number)) throw new TimeValueError(`failed to parse [${input}], fractional time values are not supported`);
  throw new TimeValueError(`failed to parse [${input}]`);
}

/** Milliseconds (-1 for Elasticsearch's `-1`), or a TimeValueError with Elasticsearch's message. */
export function parseTimeValueMs(input: string, setting: string): number {
  // Java's toLowerCase(Locale.ROOT) then trim(): trim drops every character up to U+0020.
  const normalized = javaTrim(input.toLowerCase());
  for (const [unit, ms] of UNITS_MS) {
    const matches = unit === 'm' ? input.endsWith('m') : normalized.endsWith(unit);
    if (matches) return amountOf(input, normalized, unit, setting) * ms;
  }
  if (/^-0*1$/.test(normalized)) return -1;
  if (/^0+$/.test(normalized)) return 0;
  throw new TimeValueError(
    `failed to parse setting [${setting}] with value [${input}] as a time value: unit is missing or unrecognized`,
  );
}
