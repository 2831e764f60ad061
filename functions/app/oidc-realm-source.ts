import type { Clock } from '../clock';
import type { Config } from '../config';
import { MaxAgeCache } from '../max-age-cache';
import { OidcRealm } from '../security/oidc/oidc-realm';
import { readOidcRealms } from '../security/oidc/realm-config';
import {
  handedOverSettings,
  parseSecureSettings,
  readSecureSettingsFile,
  type Settings,
} from '../security/realm-settings/settings-file';
import { readSecretString } from '../store/secrets-manager';

/** How long a deployed function keeps the secure settings before reading the secret again. */
export const SECURE_SETTINGS_MAX_AGE_MS = 5 * 60 * 1000;

export type OidcRealms = () => Promise<readonly OidcRealm[]>;

/**
 * The OpenID Connect realms. Locally (ES_SECURE_SETTINGS, a file) they are built at start, so a setting
 * error refuses the start. Deployed, the secure settings are a Secrets Manager secret, read at the first
 * SSO request and again when older than the maximum age; the realms (and their key caches) are kept while
 * the secret's value stays the same.
 */
export function oidcRealms(config: Config, clock: Clock, settings: Settings = handedOverSettings(config)): OidcRealms {
  const directory = config.fileRealmPath ?? '.';
  const { secureSettingsSecretArn, region } = config;
  if (secureSettingsSecretArn === undefined) {
    const realms = readOidcRealms(settings, readSecureSettingsFile(config.secureSettingsPath), directory).map(
      (realm) => new OidcRealm(realm, clock),
    );
    return () => Promise.resolve(realms);
  }
  let built: { secret: string; realms: readonly OidcRealm[] } | undefined;
  const secret = new MaxAgeCache({
    read: () => readSecretString(secureSettingsSecretArn, region),
    maxAgeMs: SECURE_SETTINGS_MAX_AGE_MS,
    clock,
  });
  return async () => {
    const value = await secret.get();
    if (built?.secret !== value) {
      const realms = readOidcRealms(settings, parseSecureSettings(value, 'the secure settings secret'), directory);
      built = { secret: value, realms: realms.map((realm) => new OidcRealm(realm, clock)) };
    }
    return built.realms;
  };
}
