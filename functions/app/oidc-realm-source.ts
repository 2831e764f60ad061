import type { Clock } from '../clock';
import type { Config } from '../config';
import { OidcRealm } from '../security/authc/oidc/oidc-realm';
import { readOidcRealms } from '../security/authc/oidc/realm-config';
import { handedOverSettings, type Settings } from '../security/authc/realm-settings/settings-file';
import { realmsOverSecureSettings } from './secure-settings-realms';

export { SECURE_SETTINGS_MAX_AGE_MS } from './secure-settings-realms';

export type OidcRealms = () => Promise<readonly OidcRealm[]>;

/** The OpenID Connect realms of elasticsearch.yml, over their client secrets (secure-settings-realms.ts). */
export function oidcRealms(config: Config, clock: Clock, settings: Settings = handedOverSettings(config)): OidcRealms {
  const directory = config.fileRealmPath ?? '.';
  return realmsOverSecureSettings(config, clock, (secure) =>
    readOidcRealms(settings, secure, directory).map((realm) => new OidcRealm(realm, clock)),
  );
}
