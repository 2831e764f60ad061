import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ConfigurationError } from '../functions/config';
import { readOidcRealms } from '../functions/security/authc/oidc/realm-config';
import { REALMS_PREFIX } from '../functions/security/authc/realm-settings/realm-settings';
import { PREPARED_SETTINGS_FILE, type SettingValue } from '../functions/security/authc/realm-settings/settings-file';
import { readSettingsFile } from '../functions/security/authc/realm-settings/settings-yaml';
import { readSamlRealms } from '../functions/security/authc/saml/realm-config';

export interface SsoDeployment {
  /** The secure settings' secret ARN (ES_SECURE_SETTINGS_SECRET_ARN). */
  readonly environment: Record<string, string>;
  /** What the config directory's layer carries for the realms: their settings as JSON, and the files they name. */
  readonly layerFiles: ReadonlyMap<string, string>;
  /** Elasticsearch's keystore for the deployed realms: a JSON object of secure setting name to value. */
  readonly secureSettings: secretsmanager.Secret;
  grantRead(fn: lambda.IFunction): void;
}

/** Where the layer keeps the files the realms name, whatever their path was on the machine that ran synth. */
const REALM_FILES = 'realm-files';

/** Settings naming a file of the config directory that ships in the layer (`op.jwkset_path` unless a URL). */
const SHIPPED_FILES: Readonly<Record<string, readonly string[]>> = {
  oidc: ['op.jwkset_path'],
  saml: ['idp.metadata.path', 'signing.certificate', 'encryption.certificate'],
};
/** The SP's private keys: never in the layer; deployed, the secure settings hold them under these names. */
const SECRET_FILES: Readonly<Record<string, readonly string[]>> = { saml: ['signing.key', 'encryption.key'] };

/** A realm setting's parts: `xpack.security.authc.realms.<type>.<name>.<setting>`. */
function partsOf(key: string): { realm: string; type: string; setting: string } {
  const parts = key.split('.');
  return { realm: parts.slice(0, 6).join('.'), type: parts[4] ?? '', setting: parts.slice(6).join('.') };
}

/**
 * The secure settings are known only once deployed: stand-ins let every other setting be checked now (an OpenID
 * Connect realm's client secret; a SAML realm's key wherever its certificate is set).
 */
function standIns(settings: ReadonlyMap<string, SettingValue>): Map<string, string> {
  const found = new Map<string, string>();
  for (const key of settings.keys()) {
    const { realm, type, setting } = partsOf(key);
    if (type === 'oidc') found.set(`${realm}.rp.client_secret`, 'stand-in');
    if (type === 'saml' && setting.endsWith('.certificate'))
      found.set(`${realm}.${setting.replace(/certificate$/, 'key')}`, 'stand-in');
  }
  return found;
}

function readConfigFile(key: string, path: string, directory: string): string {
  try {
    return readFileSync(isAbsolute(path) ? path : join(directory, path), 'utf8');
  } catch (error) {
    throw new ConfigurationError(`Setting [${key}]: [${path}] cannot be read (${(error as Error).name})`);
  }
}

/**
 * The realm settings as the layer carries them: each file a realm names copied into the layer under a name of
 * its own, the setting pointing there; the private keys' settings left out, as the secure settings hold them.
 */
function layerContent(settings: ReadonlyMap<string, SettingValue>, directory: string): Map<string, string> {
  const files = new Map<string, string>();
  const shipped: Record<string, SettingValue> = {};
  for (const [key, value] of settings) {
    const { type, setting } = partsOf(key);
    if (SECRET_FILES[type]?.includes(setting)) continue;
    const isFile = SHIPPED_FILES[type]?.includes(setting) && typeof value === 'string' && !value.startsWith('https://');
    if (!isFile) {
      shipped[key] = value;
      continue;
    }
    const name = `${REALM_FILES}/${key.slice(REALMS_PREFIX.length)}`;
    files.set(name, readConfigFile(key, value as string, directory));
    shipped[key] = name;
  }
  files.set(PREPARED_SETTINGS_FILE, JSON.stringify(shipped));
  return files;
}

/**
 * The SSO realms of `<esPathConf>/elasticsearch.yml` (`cdk synth -c esPathConf=...`), checked at synth with the
 * messages the functions would give at their first request, parsed by the parser the locally run service uses,
 * and shipped in the config directory's layer as JSON with the files they name (IdP metadata, certificates,
 * JWK sets). Their secure settings (`rp.client_secret`, the SP's `signing.key` and `encryption.key`) are never
 * in the template nor the layer: the stack creates an empty secret for them, which the operator fills.
 */
export function ssoDeployment(scope: Construct, esPathConf: string | undefined): SsoDeployment | undefined {
  if (esPathConf === undefined) return undefined;
  const realmSettings = new Map([...readSettingsFile(esPathConf)].filter(([key]) => key.startsWith(REALMS_PREFIX)));
  if (realmSettings.size === 0) return undefined;
  const secure = standIns(realmSettings);
  readOidcRealms(realmSettings, secure, esPathConf);
  readSamlRealms(realmSettings, esPathConf, secure);
  const layerFiles = layerContent(realmSettings, esPathConf);
  const secureSettings = new secretsmanager.Secret(scope, 'SecureSettings', {
    description: 'Secure settings of the SSO realms (Elasticsearch keystore): a JSON object of setting name to value',
    secretObjectValue: {},
  });
  Validations.of(secureSettings).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'The client secrets are issued by the identity provider and the SP keys are registered with it; the operator rotates them there and puts the new value.',
  });
  return {
    environment: { ES_SECURE_SETTINGS_SECRET_ARN: secureSettings.secretArn },
    layerFiles,
    secureSettings,
    grantRead: (fn) => {
      secureSettings.grantRead(fn);
    },
  };
}
