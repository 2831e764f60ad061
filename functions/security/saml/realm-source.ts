import type { Clock } from '../../clock';
import type { Config } from '../../config';
import { readSettingsFile, settingsFromJson } from '../realm-settings/settings-file';
import { readSamlRealms } from './realm-config';
import { SamlRealm } from './saml-realm';

export type SamlRealms = () => Promise<readonly SamlRealm[]>;

/**
 * The SAML realms of elasticsearch.yml, built at start (a setting error refuses the start, with
 * Elasticsearch's message). Their files (IdP metadata, keys, certificates) are read from the config directory.
 */
export function samlRealms(config: Config, clock: Clock): SamlRealms {
  const settings =
    config.realmSettingsJson !== undefined ? settingsFromJson(config.realmSettingsJson) : readSettingsFile(config.fileRealmPath);
  const realms = readSamlRealms(settings, config.fileRealmPath ?? '.').map((realm) => new SamlRealm(realm, clock));
  return () => Promise.resolve(realms);
}
