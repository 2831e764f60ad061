import { parseSettings } from '../../../../functions/security/authc/realm-settings/settings-yaml';
import { readSamlRealms } from '../../../../functions/security/authc/saml/realm-config';
import { IDP_METADATA, realmYaml, SAML_REALM_SETTINGS, writeConfigDirectory } from '../../../support/realm-settings';

const PREFIX = 'xpack.security.authc.realms.saml.saml1';
const REQUIRED = SAML_REALM_SETTINGS;

function read(settings: Record<string, string | undefined>, secure: ReadonlyMap<string, string> = new Map()) {
  const dir = writeConfigDirectory({
    'idp.xml': IDP_METADATA,
    'sp-cert.pem': 'CERTIFICATE FROM A FILE',
    'sp-key.pem': 'KEY FROM A FILE',
  });
  const given = Object.entries({ ...REQUIRED, ...settings }).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return readSamlRealms(parseSettings(realmYaml('saml', 'saml1', Object.fromEntries(given)).join('\n')), dir, secure);
}

describe('SAML realm settings (SamlRealmSettings)', () => {
  it.each(Object.keys(REQUIRED).filter((key) => key !== 'attributes.principal'))(
    'SAML-S-1: [%s] is required, with its full key',
    (key) => {
      expect(() => read({ [key]: undefined })).toThrow(`The configuration setting [${PREFIX}.${key}] is required`);
    },
  );

  it('SAML-S-1: attributes.principal is required', () => {
    expect(() => read({ 'attributes.principal': undefined })).toThrow(`Setting [${PREFIX}.attributes.principal] is required`);
  });

  it('SAML-S-2: defaults, and the IdP metadata read for the entity named', () => {
    const [realm] = read({});
    expect(realm).toMatchObject({
      name: 'saml1',
      allowedClockSkewMs: 180_000,
      useSingleLogout: true,
      populateUserMetadata: true,
      forceAuthn: false,
      allowCreate: false,
      authnContextClassRefs: [],
      idp: { entityId: 'https://idp.example.com/', ssoUrl: 'https://idp.example.com/sso', sloUrl: 'https://idp.example.com/slo' },
    });
    // Only the signing key of the metadata verifies the IdP's messages.
    expect(realm?.idp.signingCertificates).toEqual(['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n']);
  });

  it('SAML-S-2: idp.metadata.path over http is refused; an unknown entity, a pattern without its attribute, messages to sign without a key', () => {
    expect(() => read({ 'idp.metadata.path': 'http://idp.example.com/metadata' })).toThrow(
      'The [http] protocol is not supported as it is insecure. Use [https] instead',
    );
    expect(() => read({ 'idp.entity_id': 'https://other.example.com/' })).toThrow(/no IDPSSODescriptor for entity/);
    expect(() => read({ 'attribute_patterns.groups': '^(.*)$' })).toThrow(
      `Setting [${PREFIX}.attribute_patterns.groups] cannot be set unless [${PREFIX}.attributes.groups] is also set`,
    );
    expect(() => read({ 'signing.saml_messages': 'AuthnRequest' })).toThrow(/cannot be set without a signing key/);
    expect(() => read({ allowed_clock_skew: 'soon' })).toThrow(/allowed_clock_skew/);
  });

  it('SAML-S-2: a realm with enabled: false is left out', () => {
    expect(read({ enabled: 'false' })).toEqual([]);
  });

  it('SAML-S-2: the SP key is a file of the config directory, or (deployed) the secure setting of the same name', () => {
    const certificate = { 'signing.certificate': 'sp-cert.pem' };
    expect(read({ ...certificate, 'signing.key': 'sp-key.pem' })[0]?.signing).toMatchObject({
      key: 'KEY FROM A FILE',
      certificate: 'CERTIFICATE FROM A FILE',
    });
    const secure = new Map([[`${PREFIX}.signing.key`, 'KEY FROM THE SECRET']]);
    expect(read(certificate, secure)[0]?.signing).toMatchObject({ key: 'KEY FROM THE SECRET' });
    expect(() => read(certificate)).toThrow(
      `Setting [${PREFIX}.signing.key] and [${PREFIX}.signing.certificate] must be set together`,
    );
  });
});
