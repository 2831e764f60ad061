import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError } from '../../../config';

/**
 * The file synth writes into the config directory's layer (infra/sso-settings.ts): the realm settings of
 * elasticsearch.yml, parsed at synth by the parser the locally run service uses, as a JSON object of setting
 * name to value. A layer has no size limit a realm list can reach, as the environment (4 KB) has.
 */
export const PREPARED_SETTINGS_FILE = 'realm-settings.json';

/**
 * `elasticsearch.yml` read as Elasticsearch's `Settings` reads it: nested maps and dotted keys are the same
 * thing (`a: {b: 1}` is `a.b: 1`), scalars are strings, lists stay lists (of strings), and a key given twice
 * (in either spelling) refuses the start.
 */
export type SettingValue = string | readonly string[];
export type Settings = ReadonlyMap<string, SettingValue>;

function scalar(key: string, value: unknown): string {
  if (value === null || typeof value === 'object') {
    throw new ConfigurationError(`elasticsearch.yml: setting [${key}] must be a value or a list of values`);
  }
  return String(value);
}

/** Nested maps and dotted keys as one map of dotted keys (also for settings-yaml.ts). */
export function flatten(prefix: string, value: unknown, into: Map<string, SettingValue>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(prefix === '' ? key : `${prefix}.${key}`, child, into);
    return;
  }
  if (into.has(prefix)) throw new ConfigurationError(`elasticsearch.yml: duplicate settings key [${prefix}]`);
  into.set(prefix, Array.isArray(value) ? value.map((item) => scalar(prefix, item)) : scalar(prefix, value));
}

/** Settings handed over as JSON (the layer's copy of elasticsearch.yml, parsed at synth; or ES_SETTINGS). */
export function settingsFromJson(json: string): Settings {
  const parsed: unknown = JSON.parse(json);
  const settings = new Map<string, SettingValue>();
  flatten('', parsed, settings);
  return settings;
}

/**
 * What a deployed function knows of elasticsearch.yml, read at the first request that needs it: the settings synth
 * prepared in the config directory's layer, else ES_SETTINGS, else none. It parses no YAML; the locally run
 * service reads the file itself (settings-yaml.ts).
 */
export function handedOverSettings(config: { readonly realmSettingsJson?: string; readonly fileRealmPath?: string }): Settings {
  if (config.fileRealmPath !== undefined) {
    const prepared = readPrepared(join(config.fileRealmPath, PREPARED_SETTINGS_FILE));
    if (prepared !== undefined) return settingsFromJson(prepared);
  }
  return config.realmSettingsJson !== undefined ? settingsFromJson(config.realmSettingsJson) : new Map();
}

function readPrepared(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** A JSON object of secure setting name to value (Elasticsearch's keystore). */
export function parseSecureSettings(text: string, source: string): ReadonlyMap<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`${source} is not JSON (${(error as Error).name})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigurationError(`${source} must hold one JSON object of setting name to value`);
  }
  const secure = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') throw new ConfigurationError(`${source}: [${key}] must be a string`);
    secure.set(key, value);
  }
  return secure;
}

/**
 * Elasticsearch's keystore, for the secure settings (`rp.client_secret`) that are never in elasticsearch.yml:
 * locally a JSON file of setting name to value, named by ES_SECURE_SETTINGS.
 */
export function readSecureSettingsFile(path: string | undefined): ReadonlyMap<string, string> {
  if (path === undefined) return new Map();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`ES_SECURE_SETTINGS: [${path}] cannot be read (${(error as Error).name})`);
  }
  return parseSecureSettings(text, `ES_SECURE_SETTINGS [${path}]`);
}
