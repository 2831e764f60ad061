import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigurationError } from '../../config';

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

function flatten(prefix: string, value: unknown, into: Map<string, SettingValue>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(prefix === '' ? key : `${prefix}.${key}`, child, into);
    return;
  }
  if (into.has(prefix)) throw new ConfigurationError(`elasticsearch.yml: duplicate settings key [${prefix}]`);
  into.set(prefix, Array.isArray(value) ? value.map((item) => scalar(prefix, item)) : scalar(prefix, value));
}

export function parseSettings(text: string): Settings {
  const document = parseDocument(text, { uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigurationError(`elasticsearch.yml: ${document.errors[0]?.message.split('\n')[0] ?? 'not valid YAML'}`);
  }
  const settings = new Map<string, SettingValue>();
  const content: unknown = document.toJS();
  if (content === null || content === undefined) return settings;
  if (typeof content !== 'object' || Array.isArray(content))
    throw new ConfigurationError('elasticsearch.yml: not a map of settings');
  flatten('', content, settings);
  return settings;
}

/** The settings of `$ES_PATH_CONF/elasticsearch.yml`; none when the file is absent. */
export function readSettingsFile(configDirectory: string | undefined): Settings {
  if (configDirectory === undefined) return new Map();
  const path = join(configDirectory, 'elasticsearch.yml');
  return existsSync(path) ? parseSettings(readFileSync(path, 'utf8')) : new Map();
}

/** Settings handed over as JSON (ES_SETTINGS: the deployed stack's copy of elasticsearch.yml, read at synth). */
export function settingsFromJson(json: string): Settings {
  const parsed: unknown = JSON.parse(json);
  const settings = new Map<string, SettingValue>();
  flatten('', parsed, settings);
  return settings;
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
