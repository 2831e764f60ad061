import type { Clock } from '../../clock';
import type { Config } from '../../config';
import { handedOverSettings, type Settings } from '../realm-settings/settings-file';
import { readSamlRealms } from './realm-config';
import { SamlRealm } from './saml-realm';

export type SamlRealms = () => Promise<readonly SamlRealm[]>;

/**
 * The SAML realms of elasticsearch.yml, built at start (a setting error refuses the start, with
 * Elasticsearch's message). Their files (IdP metadata, keys, certificates) are read from the config directory.
 */
export function samlRealms(config: Config, clock: Clock, settings: Settings = handedOverSettings(config)): SamlRealms {
  const realms = readSamlRealms(settings, config.fileRealmPath ?? '.').map((realm) => new SamlRealm(realm, clock));
  return () => Promise.resolve(realms);
}
