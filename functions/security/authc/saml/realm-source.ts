import type { Clock } from '../../../clock';
import type { Settings } from '../realm-settings/settings-file';
import { readSamlRealms } from './realm-config';
import { SamlRealm } from './saml-realm';

export type SamlRealms = () => Promise<readonly SamlRealm[]>;

/**
 * The SAML realms of elasticsearch.yml over the secure settings (the SP's private keys, deployed), with
 * Elasticsearch's message for a setting error. Their files (IdP metadata, certificates, keys locally) are
 * read from the config directory.
 */
export function samlRealmsOf(
  settings: Settings,
  directory: string,
  clock: Clock,
): (secure: ReadonlyMap<string, string>) => SamlRealm[] {
  return (secure) => readSamlRealms(settings, directory, secure).map((realm) => new SamlRealm(realm, clock));
}
