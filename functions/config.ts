/**
 * Settings, read from the environment once per process (a Lambda cold start, the local API's start).
 * A value out of range refuses the start with a message that names the variable: a token service that
 * silently falls back to a default timeout is worse than one that does not start.
 */

import { parseTimeValueMs, TimeValueError } from './time-value';

export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

export interface Config {
  /** GT-12: access-token lifetime in milliseconds (Elasticsearch `xpack.security.authc.token.timeout`). */
  readonly accessTokenTimeoutMs: number;
  /** How many shards each realm/username index partition is spread over (DESIGN §3). */
  readonly indexShards: number;
  readonly tokensTable: string;
  /** The native realm's users (`default_native`). */
  readonly usersTable: string;
  /** The native roles (the role API). */
  readonly rolesTable: string;
  /** The role mappings (the role-mapping API, read by the SSO realms). */
  readonly roleMappingsTable: string;
  /** Overrides the DynamoDB endpoint (DynamoDB Local, `sam local`); the SDK default otherwise. */
  readonly dynamodbEndpoint?: string;
  readonly region: string;
  /** Password of the reserved `elastic` superuser; without it `elastic` cannot authenticate. */
  readonly elasticPassword?: string;
  /** IV-10: wall time a realm/user-wide invalidation spends in one invocation before continuing in the background. */
  readonly invalidationBudgetMs: number;
  /** How long, past the budget, a sweep waits for its writes in flight before it answers and hands on. */
  readonly invalidationDrainMs: number;
  /** How long the indexes are given to settle before the catch-up pass of a sweep (0 skips it). */
  readonly invalidationSettleMs: number;
  /** Storage writes a sweep keeps in flight. */
  readonly invalidationConcurrency: number;
  /** Pairs read per index query of a sweep. */
  readonly invalidationPageSize: number;
  /** Set inside Lambda: the function continues a sweep by invoking itself. */
  readonly functionName?: string;
  /** Directory holding the file realm's `users`, `users_roles` and `roles.yml` (Elasticsearch's ES_PATH_CONF). */
  readonly fileRealmPath?: string;
  /** ES_SETTINGS: the realm settings as JSON, in place of `$ES_PATH_CONF/elasticsearch.yml` (the deployed functions). */
  readonly realmSettingsJson?: string;
  /** ES_SECURE_SETTINGS_SECRET_ARN: the Secrets Manager secret of the secure settings (deployed), a JSON object. */
  readonly secureSettingsSecretArn?: string;
  /** ES_SECURE_SETTINGS: the JSON file of secure settings (Elasticsearch's keystore), e.g. `rp.client_secret`. */
  readonly secureSettingsPath?: string;
  /**
   * The Secrets Manager secret holding the `elastic` password (the deployed stack's generated bootstrap
   * password). When set it wins over `elasticPassword`; it is read at the first request that needs it, and
   * again after `elasticPasswordMaxAgeMs`.
   */
  readonly elasticPasswordSecretArn?: string;
  /** How long a password read from the secret is used before it is read again (a changed one takes effect). */
  readonly elasticPasswordMaxAgeMs: number;
}

export const DEFAULT_ACCESS_TOKEN_TIMEOUT = '20m';
export const MIN_ACCESS_TOKEN_TIMEOUT_MS = 1_000;
export const MAX_ACCESS_TOKEN_TIMEOUT_MS = 60 * 60 * 1_000;
export const DEFAULT_INDEX_SHARDS = 16;
export const DEFAULT_INVALIDATION_BUDGET = '20s';
/** API Gateway answers 504 at 29 s: the budget leaves room for the answer and a cold start. */
export const MAX_INVALIDATION_BUDGET_MS = 25_000;

/** Budget plus drain plus the hand-off stay under the gateway's 29 s. */
export const MAX_INVALIDATION_DRAIN_MS = 2_000;

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

/** GT-12: default 20m, at least 1s, at most 1h. */
export function parseAccessTokenTimeout(value: string | undefined, setting = 'TOKEN_TIMEOUT'): number {
  const raw = value === undefined || value.trim() === '' ? DEFAULT_ACCESS_TOKEN_TIMEOUT : value;
  const ms = parseTimeValue(raw, setting);
  if (ms < MIN_ACCESS_TOKEN_TIMEOUT_MS || ms > MAX_ACCESS_TOKEN_TIMEOUT_MS) {
    throw new ConfigurationError(
      `${setting}: access token timeout [${raw}] is out of range: it must be between 1s and 1h (the limits of xpack.security.authc.token.timeout)`,
    );
  }
  return ms;
}

export function parseWholeNumber(value: string | undefined, setting: string, fallback: number, min: number, max: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigurationError(`${setting}: [${value}] must be a whole number from ${min} to ${max}`);
  }
  return n;
}

export function parseDuration(value: string | undefined, setting: string, fallback: string, maxMs: number): number {
  const raw = value === undefined || value.trim() === '' ? fallback : value;
  const ms = parseTimeValue(raw, setting);
  if (ms > maxMs) throw new ConfigurationError(`${setting}: [${raw}] is more than the limit of ${maxMs / 1000}s`);
  return ms;
}

export function parseShards(value: string | undefined): number {
  return parseWholeNumber(value, 'TOKEN_INDEX_SHARDS', DEFAULT_INDEX_SHARDS, 1, 256);
}

/** IV-10: a time value (`20s`, `1500ms`); `0s` makes every invocation read one page per shard (tests). */
export function parseInvalidationBudget(value: string | undefined): number {
  return parseDuration(value, 'INVALIDATION_BUDGET', DEFAULT_INVALIDATION_BUDGET, MAX_INVALIDATION_BUDGET_MS);
}

function optional(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    accessTokenTimeoutMs: parseAccessTokenTimeout(env.TOKEN_TIMEOUT),
    indexShards: parseShards(env.TOKEN_INDEX_SHARDS),
    invalidationBudgetMs: parseInvalidationBudget(env.INVALIDATION_BUDGET),
    invalidationDrainMs: parseDuration(env.INVALIDATION_DRAIN, 'INVALIDATION_DRAIN', '1s', MAX_INVALIDATION_DRAIN_MS),
    invalidationSettleMs: parseDuration(env.INVALIDATION_SETTLE, 'INVALIDATION_SETTLE', '1s', 60_000),
    invalidationConcurrency: parseWholeNumber(env.INVALIDATION_CONCURRENCY, 'INVALIDATION_CONCURRENCY', 32, 1, 1024),
    invalidationPageSize: parseWholeNumber(env.INVALIDATION_PAGE_SIZE, 'INVALIDATION_PAGE_SIZE', 100, 1, 1000),
    functionName: optional(env.AWS_LAMBDA_FUNCTION_NAME),
    tokensTable: optional(env.TOKENS_TABLE) ?? 'es-tokens',
    usersTable: optional(env.USERS_TABLE) ?? 'es-users',
    rolesTable: optional(env.ROLES_TABLE) ?? 'es-roles',
    roleMappingsTable: optional(env.ROLE_MAPPINGS_TABLE) ?? 'es-role-mappings',
    dynamodbEndpoint: optional(env.DYNAMODB_ENDPOINT),
    region: optional(env.AWS_REGION) ?? optional(env.AWS_DEFAULT_REGION) ?? 'us-east-1',
    elasticPassword: optional(env.ELASTIC_PASSWORD),
    fileRealmPath: optional(env.ES_PATH_CONF),
    secureSettingsPath: optional(env.ES_SECURE_SETTINGS),
    realmSettingsJson: optional(env.ES_SETTINGS),
    secureSettingsSecretArn: optional(env.ES_SECURE_SETTINGS_SECRET_ARN),
    elasticPasswordSecretArn: optional(env.ELASTIC_PASSWORD_SECRET_ARN),
    elasticPasswordMaxAgeMs: parseDuration(env.ELASTIC_PASSWORD_MAX_AGE, 'ELASTIC_PASSWORD_MAX_AGE', '5m', 3_600_000),
  };
}
