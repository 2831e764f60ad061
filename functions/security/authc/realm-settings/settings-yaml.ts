import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigurationError } from '../../../config';
import { flatten, type Settings, type SettingValue, settingsFromJson } from './settings-file';

/**
 * `elasticsearch.yml` itself, parsed: by the locally run service, and by `cdk synth`, which hands the deployed
 * functions its settings as JSON in the config directory's layer, so no function bundles the YAML parser for them.
 */
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

/** The realm settings of the locally run service: ES_SETTINGS when given, else `$ES_PATH_CONF/elasticsearch.yml`. */
export function localRealmSettings(config: { readonly realmSettingsJson?: string; readonly fileRealmPath?: string }): Settings {
  return config.realmSettingsJson !== undefined
    ? settingsFromJson(config.realmSettingsJson)
    : readSettingsFile(config.fileRealmPath);
}
