import type { Clock } from '../clock';
import type { Config } from '../config';
import { MaxAgeCache } from '../max-age-cache';
import type { RealmsReader } from '../security/authc/realm-settings/realm-settings';
import {
  handedOverSettings,
  parseSecureSettings,
  readSecureSettingsFile,
  type Settings,
} from '../security/authc/realm-settings/settings-file';
import { readSecretString } from '../store/secrets-manager';

/** How long a deployed function keeps the secure settings before reading the secret again. */
export const SECURE_SETTINGS_MAX_AGE_MS = 5 * 60 * 1000;

/**
 * Realms built over the secure settings (Elasticsearch's keystore: an OpenID Connect realm's `rp.client_secret`,
 * a SAML realm's `signing.key`). Locally (ES_SECURE_SETTINGS, a file) they are built at start, so a setting
 * error refuses the start. Deployed, the secure settings are a Secrets Manager secret, read at the first
 * request that needs the realms and again when older than the maximum age; the realms (and their caches)
 * are kept while the secret's value stays the same.
 */
function realmsOverSecureSettings<R>(
  config: Config,
  clock: Clock,
  build: (secure: ReadonlyMap<string, string>) => readonly R[],
): () => Promise<readonly R[]> {
  const { secureSettingsSecretArn, region } = config;
  if (secureSettingsSecretArn === undefined) {
    const realms = build(readSecureSettingsFile(config.secureSettingsPath));
    return () => Promise.resolve(realms);
  }
  let built: { secret: string; realms: readonly R[] } | undefined;
  const secret = new MaxAgeCache({
    read: () => readSecretString(secureSettingsSecretArn, region),
    maxAgeMs: SECURE_SETTINGS_MAX_AGE_MS,
    clock,
  });
  return async () => {
    const value = await secret.get();
    if (built?.secret !== value) {
      built = { secret: value, realms: build(parseSecureSettings(value, 'the secure settings secret')) };
    }
    return built.realms;
  };
}

/** The realms of a single sign-on type as a service reads them: whenever a request needs them. */
export type SsoRealms<R> = () => Promise<readonly R[]>;

/**
 * The one loader of single sign-on realms: the realms `read` builds from elasticsearch.yml's settings (as synth
 * handed them over, unless given), over the secure settings, with their files read from the config directory.
 */
export function ssoRealms<R>(
  read: RealmsReader<R>,
  config: Config,
  clock: Clock,
  settings: Settings = handedOverSettings(config),
): SsoRealms<R> {
  const directory = config.fileRealmPath ?? '.';
  return realmsOverSecureSettings(config, clock, (secure) => read(settings, secure, directory, clock));
}
