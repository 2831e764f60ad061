import { Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { ConfigurationError } from '../functions/config';
import { REALMS_PREFIX, readOidcRealms } from '../functions/security/oidc/realm-config';
import { readSettingsFile } from '../functions/security/realm-settings/settings-yaml';

export interface SsoDeployment {
  /** ES_SETTINGS (the realm settings of elasticsearch.yml) and the secure settings' secret ARN. */
  readonly environment: Record<string, string>;
  /** Elasticsearch's keystore for the deployed realms: a JSON object of secure setting name to value. */
  readonly secureSettings: secretsmanager.Secret;
  grantRead(fn: lambda.IFunction): void;
}

/**
 * The SSO realms of `<esPathConf>/elasticsearch.yml` (`cdk synth -c esPathConf=...`), checked at synth with
 * the messages the functions would give at their cold start. Their secure settings (`rp.client_secret`) are
 * never in the template: the stack creates an empty secret for them, which the operator fills.
 */
export function ssoDeployment(scope: Construct, esPathConf: string | undefined): SsoDeployment | undefined {
  if (esPathConf === undefined) return undefined;
  const realmSettings = new Map([...readSettingsFile(esPathConf)].filter(([key]) => key.startsWith(REALMS_PREFIX)));
  if (realmSettings.size === 0) return undefined;
  // The secure settings are known only once deployed: stand-ins let every other setting be checked now.
  const standIns = new Map(
    [...realmSettings.keys()]
      .map((key) => key.split('.').slice(0, 6).join('.'))
      .map((realm) => [`${realm}.rp.client_secret`, 'stand-in']),
  );
  const saml = [...realmSettings.keys()].find((key) => key.startsWith(`${REALMS_PREFIX}saml.`));
  if (saml !== undefined) {
    // The functions would fail at their cold start: the IdP metadata and the SP's keys are files that no layer ships.
    throw new ConfigurationError(
      `${saml.split('.').slice(0, 6).join('.')}: SAML realms read their IdP metadata and keys from files of the config directory, which a deployment does not ship; serve them with the local API (docs/single-sign-on.md)`,
    );
  }
  for (const realm of readOidcRealms(realmSettings, standIns, esPathConf)) {
    if ('file' in realm.jwkSet) {
      throw new ConfigurationError(
        `${REALMS_PREFIX}oidc.${realm.name}.op.jwkset_path: a deployed realm reads its JWK set from an https:// URL, not a file`,
      );
    }
  }
  const secureSettings = new secretsmanager.Secret(scope, 'SecureSettings', {
    description: 'Secure settings of the SSO realms (Elasticsearch keystore): a JSON object of setting name to value',
    secretObjectValue: {},
  });
  Validations.of(secureSettings).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason: 'The client secrets are issued by the identity provider; the operator rotates them there and puts the new value.',
  });
  return {
    environment: {
      ES_SETTINGS: JSON.stringify(Object.fromEntries(realmSettings)),
      ES_SECURE_SETTINGS_SECRET_ARN: secureSettings.secretArn,
    },
    secureSettings,
    grantRead: (fn) => {
      secureSettings.grantRead(fn);
    },
  };
}
