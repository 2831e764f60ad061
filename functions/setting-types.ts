/**
 * The kinds of value a setting takes (functions/settings.ts): how a raw value, from the environment or from
 * CDK context, is read, and the words for what is allowed, which the docs' table and a refused context value's
 * message both use. A leaf module: the functions and `cdk synth` load it alike.
 */

import { parseTimeValueMs, TimeValueError } from './time-value';

export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

export interface SettingType<T> {
  /** What is allowed, as a phrase after "must be": `a time value from 1s to 1h`. */
  readonly allowed: string;
  /** Numbers and time values take a value of only spaces for unset, as an empty one; text does not. */
  readonly blankIsUnset?: boolean;
  /** The value of a raw value that is set; a ConfigurationError starting with `name` when it is refused. */
  parse(raw: string, name: string): T;
}

/** Who sets a runtime variable in a deployed function. */
export type Deployed =
  /** the stack, from the setting's context key (or its default) */
  | 'context'
  /** the stack, from what it creates (a table's generated name, a secret's ARN) */
  | 'stack'
  /** the stack, when `-c esPathConf` names a config directory */
  | 'configDirectory'
  /** declared empty with `-c samLocal=true`, for `sam local --env-vars` to fill */
  | 'samLocal'
  /** the Lambda runtime */
  | 'lambda';

export interface Setting<T = unknown> {
  /** The environment variable the functions and the local API read; none for a deploy-time setting. */
  readonly env?: string;
  /** Read when `env` is unset (AWS_DEFAULT_REGION behind AWS_REGION, as the AWS SDK does). */
  readonly envFallback?: string;
  /** The CDK context key (`-c key=value`, `cdk.json`). */
  readonly context?: string;
  readonly type: SettingType<T>;
  /** The value when unset, as a user writes it; none: the setting is then absent. */
  readonly default?: string;
  /** The docs' default where it is not one value (generated locally, set by the stack). */
  readonly defaultText?: string;
  /** Who sets the variable in a deployed function; none: nobody (a local-only or optional setting). */
  readonly deployed?: Deployed;
  readonly description: string;
}

/** Every deploy-time setting's value is known at synth; a runtime one only at start. */
export const phaseOf = (setting: Setting): 'runtime' | 'deploy' => (setting.env === undefined ? 'deploy' : 'runtime');

/**
 * Parses an Elasticsearch time value (`90s`, `20m`, `1h`, `1500ms`) into milliseconds, as Elasticsearch's
 * TimeValue does (time-value.ts); `-1`, which Elasticsearch reads as "none", means nothing for these settings.
 */
export function parseTimeValue(value: string, setting: string): number {
  let ms: number;
  try {
    ms = parseTimeValueMs(value, setting);
  } catch (error) {
    if (error instanceof TimeValueError) throw new ConfigurationError(`${setting}: ${error.message}`);
    throw error;
  }
  if (ms < 0) throw new ConfigurationError(`${setting}: [${value}] must not be negative`);
  return ms;
}

const UNITS: readonly (readonly [unit: string, ms: number])[] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** Milliseconds as the shortest time value that says them exactly (`20m`, `1500ms`): what the docs print. */
export function formatTimeValue(ms: number): string {
  const unit = UNITS.find(([, size]) => ms !== 0 && ms % size === 0);
  return unit === undefined ? `${ms}ms` : `${ms / unit[1]}${unit[0]}`;
}

export interface TimeLimits {
  readonly minMs?: number;
  readonly maxMs: number;
  /** The message of a value out of range, after `name: `, where the setting has one of its own. */
  readonly outOfRange?: (raw: string) => string;
}

/** A time value in milliseconds, within limits. */
export function timeValue({ minMs = 0, maxMs, outOfRange }: TimeLimits): SettingType<number> {
  const allowed =
    minMs === 0
      ? `a time value up to ${formatTimeValue(maxMs)}`
      : `a time value from ${formatTimeValue(minMs)} to ${formatTimeValue(maxMs)}`;
  return {
    allowed,
    blankIsUnset: true,
    parse(raw, name) {
      const ms = parseTimeValue(raw, name);
      if (ms < minMs || ms > maxMs) {
        throw new ConfigurationError(`${name}: ${outOfRange?.(raw) ?? `[${raw}] is more than the limit of ${maxMs / 1000}s`}`);
      }
      return ms;
    },
  };
}

/** A whole number from `min`, to `max` when there is one. */
export function wholeNumber(min: number, max?: number): SettingType<number> {
  const allowed = max === undefined ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
  return {
    allowed,
    blankIsUnset: true,
    parse(raw, name) {
      const n = Number(raw);
      if (!Number.isInteger(n) || n < min || (max !== undefined && n > max)) {
        throw new ConfigurationError(`${name}: [${raw}] must be ${allowed}`);
      }
      return n;
    },
  };
}

/** Any text (a name, a path, a URL, an ARN the stack writes). */
export const text: SettingType<string> = { allowed: 'any text', parse: (raw) => raw };

/** Text of a given form, said in words for the docs and the message. */
export function textLike(form: RegExp, allowed: string): SettingType<string> {
  return {
    allowed,
    parse(raw, name) {
      if (!form.test(raw)) throw new ConfigurationError(`${name}: [${raw}] must be ${allowed}`);
      return raw;
    },
  };
}

/** `true` or `false`: anything else is refused rather than read as false. */
export const flag: SettingType<boolean> = {
  allowed: 'true or false',
  blankIsUnset: true,
  parse(raw, name) {
    const value = raw.trim();
    if (value !== 'true' && value !== 'false') throw new ConfigurationError(`${name}: [${raw}] must be true or false`);
    return value === 'true';
  },
};

/**
 * Reserved concurrency by function id: `getToken=100,authenticate=200` on the command line, or the same as a
 * JSON object in cdk.json. The ids are checked against the stack's functions by the stack.
 */
export const concurrencyByFunction: SettingType<Readonly<Record<string, number>>> = {
  allowed: 'function=count pairs separated by commas (getToken=100,authenticate=200), each count a whole number',
  parse(raw, name) {
    const pairs = raw.trim().startsWith('{')
      ? Object.entries(jsonObject(raw, name)).map(([id, n]) => [id, String(n)])
      : raw.split(',').map((pair) => pair.split('=').map((part) => part.trim()));
    return Object.fromEntries(
      pairs.map(([id, count]) => {
        const n = Number(count);
        if (id === undefined || id === '' || count === undefined || count === '' || !Number.isInteger(n) || n < 0) {
          throw new ConfigurationError(`${name}: [${id}=${count}] must be a function id and a whole number`);
        }
        return [id, n];
      }),
    );
  },
};

function jsonObject(raw: string, name: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Refused below, with the setting's name.
  }
  throw new ConfigurationError(`${name}: [${raw}] must be a JSON object of function id to a whole number`);
}

/** The environment a setting is read from (`process.env`, or a test's stand-in). */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The value a setting of the table holds: its type's, and possibly none when it has no default. */
export type ValueOf<S> = S extends { readonly type: SettingType<infer T> }
  ? S extends { readonly default: string }
    ? T
    : T | undefined
  : never;

const isUnset = (setting: Setting, raw: string | undefined): raw is undefined =>
  raw === undefined || raw === '' || (setting.type.blankIsUnset === true && raw.trim() === '');

/** A raw value (unset: the default), parsed; a refused one is a ConfigurationError starting with `name`. */
export function readValue<S extends Setting>(setting: S, raw: string | undefined, name: string): ValueOf<S> {
  const value = isUnset(setting, raw) ? setting.default : raw;
  return (value === undefined ? undefined : setting.type.parse(value, name)) as ValueOf<S>;
}

/** A runtime setting from the environment, a refused value naming its variable. */
export function readSetting<S extends Setting & { readonly env: string }>(setting: S, env: Environment): ValueOf<S> {
  const raw = env[setting.env];
  const fallback = setting.envFallback === undefined ? undefined : env[setting.envFallback];
  return readValue(setting, isUnset(setting, raw) ? fallback : raw, setting.env);
}
