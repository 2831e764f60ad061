import type { Clock } from '../../../clock';
import { ConfigurationError, parseTimeValue } from '../../../config';
import type { Settings, SettingValue } from './settings-file';

/**
 * One realm's settings, `xpack.security.authc.realms.<type>.<name>.*`, read with Elasticsearch's messages for a
 * setting that is missing or malformed: what the OpenID Connect and SAML realms' settings share.
 */

export const REALMS_PREFIX = 'xpack.security.authc.realms.';

/** The realm types read from the settings. */
export type RealmType = 'oidc' | 'saml';

export class RealmSettings {
  constructor(
    readonly prefix: string,
    private readonly settings: Settings,
    private readonly secureSettings: ReadonlyMap<string, string>,
  ) {}

  key(setting: string): string {
    return `${this.prefix}${setting}`;
  }

  raw(setting: string): SettingValue | undefined {
    return this.settings.get(this.key(setting));
  }

  string(setting: string): string | undefined {
    const value = this.raw(setting);
    if (Array.isArray(value))
      throw new ConfigurationError(`Failed to parse value [${value.join(',')}] for setting [${this.key(setting)}]`);
    return value as string | undefined;
  }

  required(setting: string): string {
    const value = this.string(setting);
    if (value === undefined || value === '')
      throw new ConfigurationError(`The configuration setting [${this.key(setting)}] is required`);
    return value;
  }

  /** A secure setting (the keystore's, deployed the secret's), when given. */
  secure(setting: string): string | undefined {
    return this.secureSettings.get(this.key(setting));
  }

  secureRequired(setting: string): string {
    const value = this.secure(setting);
    if (value === undefined || value === '')
      throw new ConfigurationError(`The configuration setting [${this.key(setting)}] is required`);
    return value;
  }

  uri(setting: string, value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    if (!URL.canParse(value))
      throw new ConfigurationError(`Invalid value [${value}] for [${this.key(setting)}]. Not a valid URI.`);
    return value;
  }

  oneOf<T extends string>(setting: string, allowed: readonly T[], fallback: T): T {
    const value = this.string(setting) ?? fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      throw new ConfigurationError(
        `Invalid value [${value}] for [${this.key(setting)}]. Allowed values are [${allowed.join(', ')}]`,
      );
    }
    return value as T;
  }

  boolean(setting: string, fallback: boolean): boolean {
    const value = this.string(setting);
    if (value === undefined) return fallback;
    if (value !== 'true' && value !== 'false') {
      throw new ConfigurationError(
        `Failed to parse value [${value}] as only [true] or [false] are allowed for [${this.key(setting)}]`,
      );
    }
    return value === 'true';
  }

  time(setting: string, fallback: string): number {
    return parseTimeValue(this.string(setting) ?? fallback, this.key(setting));
  }

  /** `order`: where the realm sits in the chain of its type, 0 unless set. */
  order(): number {
    const order = Number(this.string('order') ?? '0');
    if (!Number.isInteger(order))
      throw new ConfigurationError(`Failed to parse value [${this.string('order')}] for setting [${this.key('order')}]`);
    return order;
  }
}

/** The settings of the realm `name` of a type, over the secure settings (the keystore's, deployed the secret's). */
export function realmSettings(
  type: RealmType,
  name: string,
  settings: Settings,
  secure: ReadonlyMap<string, string>,
): RealmSettings {
  return new RealmSettings(`${REALMS_PREFIX}${type}.${name}.`, settings, secure);
}

/** Every realm of a type in the settings, read by `read`, in realm order; a realm with `enabled: false` is left out. */
export function readRealms<C extends { readonly order: number }>(
  type: RealmType,
  settings: Settings,
  read: (name: string) => C,
): C[] {
  const names = new Set<string>();
  const prefix = `${REALMS_PREFIX}${type}.`;
  for (const key of settings.keys()) {
    if (key.startsWith(prefix)) names.add(key.slice(prefix.length).split('.')[0] as string);
  }
  return [...names]
    .filter((name) => settings.get(`${prefix}${name}.enabled`) !== 'false')
    .map(read)
    .sort((a, b) => a.order - b.order);
}

/**
 * How a single sign-on realm type builds its realms from the settings, the secure settings and the config
 * directory (its files: JWK sets, IdP metadata, certificates): the one loader (app/sso-realms.ts) is handed one.
 */
export type RealmsReader<R> = (
  settings: Settings,
  secure: ReadonlyMap<string, string>,
  directory: string,
  clock: Clock,
) => readonly R[];
