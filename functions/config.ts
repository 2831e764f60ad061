/**
 * Settings, read from the environment once per process (a Lambda cold start, the local API's start), as the
 * table of settings.ts declares them. A value out of range refuses the start with a message that names the
 * variable: a token service that silently falls back to a default timeout is worse than one that does not start.
 */

import { ConfigurationError, parseTimeValue, readSetting, readValue, type ValueOf } from './setting-types';
import { CONFIG_SETTINGS } from './settings';

export { ConfigurationError, parseTimeValue };

type ConfigSettings = typeof CONFIG_SETTINGS;

/** What the functions run with: one field per setting of CONFIG_SETTINGS, described there. */
export type Config = { readonly [K in keyof ConfigSettings]: ValueOf<ConfigSettings[K]> };

/** GT-12: default 20m, at least 1s, at most 1h. */
export function parseAccessTokenTimeout(value: string | undefined, setting = 'TOKEN_TIMEOUT'): number {
  return readValue(CONFIG_SETTINGS.accessTokenTimeoutMs, value, setting);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return Object.fromEntries(
    Object.entries(CONFIG_SETTINGS).map(([field, setting]) => [field, readSetting(setting, env)]),
  ) as Config;
}
