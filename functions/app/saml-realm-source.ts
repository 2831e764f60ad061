import type { Clock } from '../clock';
import type { Config } from '../config';
import { handedOverSettings, type Settings } from '../security/authc/realm-settings/settings-file';
import { type SamlRealms, samlRealmsOf } from '../security/authc/saml/realm-source';
import { realmsOverSecureSettings } from './secure-settings-realms';

/** The SAML realms of elasticsearch.yml, over the SP's private keys of the secure settings (secure-settings-realms.ts). */
export function samlRealms(config: Config, clock: Clock, settings: Settings = handedOverSettings(config)): SamlRealms {
  return realmsOverSecureSettings(config, clock, samlRealmsOf(settings, config.fileRealmPath ?? '.', clock));
}
