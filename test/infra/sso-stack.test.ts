import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnSecret } from 'aws-cdk-lib/aws-secretsmanager';
import { TokenServiceStack } from '../../infra/token-service-stack';
import { synthesize, testApp } from '../support/cdk-app';
import { IDP_METADATA, oidcRealmSettings, realmYaml, SAML_REALM_SETTINGS, writeConfigDirectory } from '../support/realm-settings';

const REALM = realmYaml('oidc', 'oidc1', oidcRealmSettings(undefined, { order: '2' }));

const configDirectory = (lines: readonly string[], files: Record<string, string> = {}) =>
  writeConfigDirectory({ 'elasticsearch.yml': lines, ...files });

const SAML_REALM = realmYaml('saml', 'saml1', {
  ...SAML_REALM_SETTINGS,
  'signing.key': 'sp-key.pem',
  'signing.certificate': 'sp-cert.pem',
});

const synth = (esPathConf: string) => new TokenServiceStack(testApp(), 'SsoTest', { esPathConf });

describe('CDK stack: the SSO realms of elasticsearch.yml (-c esPathConf)', () => {
  it('OIDC-S-1: creates the secure-settings secret, hands the realm settings to the functions, lets only the SSO functions read the secret', () => {
    const stack = synth(configDirectory(REALM));
    const template = Template.fromStack(stack);
    const secretId = (stack as Stack).getLogicalId(stack.node.findChild('SecureSettings').node.defaultChild as CfnSecret);
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    for (const fn of functions) {
      const variables = fn.Properties.Environment.Variables;
      // The settings travel in the config directory's layer, not in the environment's 4 KB.
      expect(variables.ES_SETTINGS).toBeUndefined();
      expect(variables.ES_SECURE_SETTINGS_SECRET_ARN).toEqual({ Ref: secretId });
    }
    const readers = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([, policy]) =>
      JSON.stringify(policy.Properties.PolicyDocument).includes(`{"Ref":"${secretId}"}`),
    );
    expect(readers.map(([id]) => id.replace(/RoleDefaultPolicy.*$/, '')).sort()).toEqual([
      'OidcAuthenticate',
      'OidcLogout',
      'OidcPrepare',
      'SamlAuthenticate',
      'SamlCompleteLogout',
      'SamlInvalidate',
      'SamlLogout',
      'SamlMetadata',
      'SamlPrepare',
    ]);
  });

  it('OIDC-S-1, OIDC-S-2, OIDC-S-4: a setting the functions would refuse fails the synth with their message', () => {
    expect(() => synth(configDirectory(REALM.filter((line) => !line.includes('rp.client_id'))))).toThrow(
      'The configuration setting [xpack.security.authc.realms.oidc.oidc1.rp.client_id] is required',
    );
    expect(() => synth(configDirectory([...REALM, ...realmYaml('oidc', 'oidc1', { 'op.userinfo_endpoint': '::' })]))).toThrow(
      /Not a valid URI/,
    );
    expect(() => synth(configDirectory(REALM.map((l) => l.replace('https://op.example.com/jwks', 'jwks.json'))))).toThrow(
      'Setting [xpack.security.authc.realms.oidc.oidc1.op.jwkset_path]: [jwks.json] cannot be read',
    );
  });

  it('SAML-S-2: a SAML realm missing a setting the functions would refuse fails the synth with their message', () => {
    expect(() => synth(configDirectory(realmYaml('saml', 'saml1', { 'sp.entity_id': 'https://sp.example.com/' })))).toThrow(
      'The configuration setting [xpack.security.authc.realms.saml.saml1.idp.metadata.path] is required',
    );
  });

  it('SAML-S-2: a SAML realm ships its IdP metadata and certificate in the layer, its private key neither there nor in the template', () => {
    const directory = configDirectory(SAML_REALM, {
      'idp.xml': IDP_METADATA,
      'sp-cert.pem': 'THE SP CERTIFICATE',
      'sp-key.pem': 'THE SP PRIVATE KEY',
    });
    const { assembly, template } = synthesize((app) => new TokenServiceStack(app, 'SamlTest', { esPathConf: directory }));
    const layer = readdirSync(assembly.directory)
      .map((name) => join(assembly.directory, name, 'es-config'))
      .find((dir) => existsSync(join(dir, 'realm-settings.json'))) as string;
    const settings = JSON.parse(readFileSync(join(layer, 'realm-settings.json'), 'utf8'));
    const prefix = 'xpack.security.authc.realms.saml.saml1';
    expect(settings[`${prefix}.signing.key`]).toBeUndefined();
    expect(readFileSync(join(layer, settings[`${prefix}.idp.metadata.path`]), 'utf8')).toBe(IDP_METADATA);
    expect(readFileSync(join(layer, settings[`${prefix}.signing.certificate`]), 'utf8')).toBe('THE SP CERTIFICATE');
    const everything = readdirSync(layer, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'));
    for (const text of [...everything, JSON.stringify(template.toJSON())]) expect(text).not.toContain('THE SP PRIVATE KEY');
  });

  it('without SSO realms, no secret and no settings', () => {
    const template = Template.fromStack(synth(configDirectory(['xpack.security.authc.token.timeout: 20m'])));
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
  });
});
