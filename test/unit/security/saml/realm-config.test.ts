import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSettings } from '../../../../functions/security/authc/realm-settings/settings-yaml';
import { readSamlRealms } from '../../../../functions/security/authc/saml/realm-config';

const PREFIX = 'xpack.security.authc.realms.saml.saml1';
const METADATA =
  '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/">' +
  '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">' +
  '<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>MIIB</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>' +
  '<md:KeyDescriptor use="encryption"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>MIIC</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>' +
  '<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/slo"/>' +
  '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>' +
  '</md:IDPSSODescriptor></md:EntityDescriptor>';

const REQUIRED: Record<string, string> = {
  'idp.metadata.path': 'idp.xml',
  'idp.entity_id': 'https://idp.example.com/',
  'sp.entity_id': 'https://sp.example.com/',
  'sp.acs': 'https://sp.example.com/acs',
  'attributes.principal': 'nameid',
};

function read(settings: Record<string, string | undefined>, secure: ReadonlyMap<string, string> = new Map()) {
  const dir = mkdtempSync(join(tmpdir(), 'saml-settings-'));
  writeFileSync(join(dir, 'idp.xml'), METADATA);
  writeFileSync(join(dir, 'sp-cert.pem'), 'CERTIFICATE FROM A FILE');
  writeFileSync(join(dir, 'sp-key.pem'), 'KEY FROM A FILE');
  const lines = Object.entries({ ...REQUIRED, ...settings })
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${PREFIX}.${key}: ${JSON.stringify(value)}`);
  return readSamlRealms(parseSettings(lines.join('\n')), dir, secure);
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
