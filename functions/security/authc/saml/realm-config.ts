import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ConfigurationError } from '../../../config';
import { type RealmSettings, readRealms, realmSettings } from '../realm-settings/realm-settings';
import type { Settings } from '../realm-settings/settings-file';
import { type IdpMetadata, parseIdpMetadata } from './idp-metadata';

/**
 * The settings of one SAML realm, `xpack.security.authc.realms.saml.<name>.*`, read and checked as
 * Elasticsearch's `SamlRealmSettings` and `SamlRealm` do (SAML-S-1, SAML-S-2), with their messages.
 */

const ATTRIBUTES = ['principal', 'groups', 'name', 'mail', 'dn'] as const;
export type AttributeName = (typeof ATTRIBUTES)[number];
const SIGNED_MESSAGES = ['AuthnRequest', 'LogoutRequest', 'LogoutResponse'] as const;
export type SignedMessage = (typeof SIGNED_MESSAGES)[number];

interface AttributeSetting {
  /** An attribute's Name or FriendlyName, or `nameid` / `nameid:persistent` for the Subject's NameID. */
  readonly attribute: string;
  readonly pattern?: RegExp;
}

/**
 * A PEM private key and its certificate. The certificate is a file of the config directory; the key is one too
 * locally, while a deployed function takes it from the secure settings under the same setting name
 * (`...signing.key`), so a private key is never in a layer or the environment.
 */
interface KeyPair {
  readonly key: string;
  readonly certificate: string;
}

export interface SamlRealmConfig {
  readonly name: string;
  readonly order: number;
  readonly idp: IdpMetadata;
  readonly spEntityId: string;
  readonly acs: string;
  readonly logout?: string;
  readonly useSingleLogout: boolean;
  readonly attributes: Readonly<Partial<Record<AttributeName, AttributeSetting>>>;
  readonly groupsDelimiter?: string;
  readonly nameIdFormat?: string;
  readonly allowCreate: boolean;
  readonly spNameQualifier?: string;
  readonly forceAuthn: boolean;
  readonly authnContextClassRefs: readonly string[];
  readonly populateUserMetadata: boolean;
  readonly allowedClockSkewMs: number;
  readonly signing?: KeyPair & { readonly messages: readonly SignedMessage[] };
  readonly encryption?: KeyPair;
}

function configFile(s: RealmSettings, setting: string, directory: string): string | undefined {
  const path = s.string(setting);
  if (path === undefined) return undefined;
  try {
    return readFileSync(isAbsolute(path) ? path : join(directory, path), 'utf8');
  } catch (error) {
    throw new ConfigurationError(`Setting [${s.key(setting)}]: [${path}] cannot be read (${(error as Error).name})`);
  }
}

function keyPair(s: RealmSettings, kind: 'signing' | 'encryption', directory: string): KeyPair | undefined {
  const key = s.secure(`${kind}.key`) ?? configFile(s, `${kind}.key`, directory);
  const certificate = configFile(s, `${kind}.certificate`, directory);
  if (key === undefined && certificate === undefined) return undefined;
  if (key === undefined || certificate === undefined) {
    throw new ConfigurationError(`Setting [${s.key(`${kind}.key`)}] and [${s.key(`${kind}.certificate`)}] must be set together`);
  }
  return { key, certificate };
}

function list(s: RealmSettings, setting: string): string[] | undefined {
  const raw = s.raw(setting);
  if (raw === undefined) return undefined;
  return Array.isArray(raw) ? [...raw] : (raw as string).split(',').map((v) => v.trim());
}

function signing(s: RealmSettings, directory: string): SamlRealmConfig['signing'] {
  const pair = keyPair(s, 'signing', directory);
  const messages = list(s, 'signing.saml_messages');
  if (pair === undefined) {
    if (messages !== undefined) {
      throw new ConfigurationError(`Setting [${s.key('signing.saml_messages')}] cannot be set without a signing key`);
    }
    return undefined;
  }
  const wanted = messages === undefined || messages.includes('*') ? [...SIGNED_MESSAGES] : messages;
  for (const message of wanted) {
    if (!(SIGNED_MESSAGES as readonly string[]).includes(message)) {
      throw new ConfigurationError(`Invalid value [${message}] for [${s.key('signing.saml_messages')}]`);
    }
  }
  return { ...pair, messages: wanted as SignedMessage[] };
}

function attributeSettings(s: RealmSettings): Partial<Record<AttributeName, AttributeSetting>> {
  const attributes: Partial<Record<AttributeName, AttributeSetting>> = {};
  for (const name of ATTRIBUTES) {
    const attribute = s.string(`attributes.${name}`);
    const pattern = s.string(`attribute_patterns.${name}`);
    if (pattern !== undefined && attribute === undefined) {
      throw new ConfigurationError(
        `Setting [${s.key(`attribute_patterns.${name}`)}] cannot be set unless [${s.key(`attributes.${name}`)}] is also set`,
      );
    }
    if (attribute === undefined) continue;
    let compiled: RegExp | undefined;
    try {
      compiled = pattern === undefined ? undefined : new RegExp(pattern);
    } catch {
      throw new ConfigurationError(`Invalid value [${pattern}] for [${s.key(`attribute_patterns.${name}`)}]`);
    }
    attributes[name] = compiled === undefined ? { attribute } : { attribute, pattern: compiled };
  }
  if (attributes.principal === undefined) {
    throw new ConfigurationError(`Setting [${s.key('attributes.principal')}] is required`);
  }
  return attributes;
}

function idpMetadata(s: RealmSettings, directory: string): IdpMetadata {
  const path = s.required('idp.metadata.path');
  if (path.startsWith('http://')) {
    throw new ConfigurationError('The [http] protocol is not supported as it is insecure. Use [https] instead');
  }
  if (path.startsWith('https://')) {
    // A choice of this service, said in the docs: metadata is read from the config directory only.
    throw new ConfigurationError(`Setting [${s.key('idp.metadata.path')}]: this service reads IdP metadata from a file`);
  }
  const entityId = s.required('idp.entity_id');
  return parseIdpMetadata(configFile(s, 'idp.metadata.path', directory) as string, entityId, s.key('idp.metadata.path'));
}

/** One realm's settings; every error names its full setting key, as Elasticsearch's do. */
function readSamlRealm(
  name: string,
  settings: Settings,
  directory: string,
  secure: ReadonlyMap<string, string> = new Map(),
): SamlRealmConfig {
  const s = realmSettings('saml', name, settings, secure);
  const groupsDelimiter = s.string('attribute_delimiters.groups');
  if (groupsDelimiter !== undefined && s.string('attribute_patterns.groups') !== undefined) {
    throw new ConfigurationError(
      `Setting [${s.key('attribute_delimiters.groups')}] cannot be combined with [${s.key('attribute_patterns.groups')}]`,
    );
  }
  return {
    name,
    order: s.order(),
    idp: idpMetadata(s, directory),
    spEntityId: s.required('sp.entity_id'),
    acs: s.uri('sp.acs', s.required('sp.acs')) as string,
    logout: s.uri('sp.logout', s.string('sp.logout')),
    useSingleLogout: s.boolean('idp.use_single_logout', true),
    attributes: attributeSettings(s),
    ...(groupsDelimiter !== undefined && { groupsDelimiter }),
    nameIdFormat: s.string('nameid_format'),
    allowCreate: s.boolean('nameid.allow_create', false),
    spNameQualifier: s.string('nameid.sp_qualifier'),
    forceAuthn: s.boolean('force_authn', false),
    authnContextClassRefs: list(s, 'req_authn_context_class_ref') ?? [],
    populateUserMetadata: s.boolean('populate_user_metadata', true),
    allowedClockSkewMs: s.time('allowed_clock_skew', '3m'),
    signing: signing(s, directory),
    encryption: keyPair(s, 'encryption', directory),
  };
}

/** Every SAML realm of the settings, in realm order; a realm with `enabled: false` is left out. */
export function readSamlRealms(
  settings: Settings,
  directory: string,
  secure: ReadonlyMap<string, string> = new Map(),
): SamlRealmConfig[] {
  return readRealms('saml', settings, (name) => readSamlRealm(name, settings, directory, secure));
}
