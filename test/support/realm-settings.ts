import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The settings of OpenID Connect and SAML realms as an operator writes them in elasticsearch.yml: the least each
 * realm needs, which a test adds to or takes from for the one setting it is about.
 */

export type RealmType = 'oidc' | 'saml';
export type RealmSettings = Readonly<Record<string, string>>;

/** Where the provider sends the browser back: Kibana's callback, as in Elasticsearch's OpenID Connect guide. */
export const KIBANA_OIDC_CALLBACK = 'https://kibana.example.com/api/security/oidc/callback';

/** A realm setting's full name, as elasticsearch.yml, the secure settings and Elasticsearch's messages spell it. */
export const realmSetting = (type: RealmType, realm: string, setting: string) =>
  `xpack.security.authc.realms.${type}.${realm}.${setting}`;

/**
 * What an `oidc` realm cannot go without (OIDC-S-1): the relying party `kibana` of the code flow, called back at
 * Kibana, its provider at `op` (the JWK set at `<op>/jwks`), `sub` the principal. The client secret is a secure
 * setting, apart.
 */
export function oidcRealmSettings(op = 'https://op.example.com', overrides: RealmSettings = {}): RealmSettings {
  return {
    'rp.client_id': 'kibana',
    'rp.response_type': 'code',
    'rp.redirect_uri': KIBANA_OIDC_CALLBACK,
    'op.issuer': op,
    'op.authorization_endpoint': `${op}/auth`,
    'op.token_endpoint': `${op}/token`,
    'op.jwkset_path': `${op}/jwks`,
    'claims.principal': 'sub',
    ...overrides,
  };
}

/** What a `saml` realm cannot go without (SAML-S-1): the IdP of `idp.xml` (IDP_METADATA), the SP, the NameID the principal. */
export const SAML_REALM_SETTINGS: RealmSettings = {
  'idp.metadata.path': 'idp.xml',
  'idp.entity_id': 'https://idp.example.com/',
  'sp.entity_id': 'https://sp.example.com/',
  'sp.acs': 'https://sp.example.com/acs',
  'attributes.principal': 'nameid',
};

/** The metadata of the IdP SAML_REALM_SETTINGS names: a signing and an encryption certificate, SSO and SLO endpoints. */
export const IDP_METADATA =
  '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/">' +
  '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">' +
  '<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>MIIB</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>' +
  '<md:KeyDescriptor use="encryption"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>MIIC</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>' +
  '<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/slo"/>' +
  '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>' +
  '</md:IDPSSODescriptor></md:EntityDescriptor>';

/** A realm's settings under their full names, as the deployed functions' ES_SETTINGS carries them. */
export function qualifiedSettings(type: RealmType, realm: string, settings: RealmSettings): Record<string, string> {
  return Object.fromEntries(Object.entries(settings).map(([key, value]) => [realmSetting(type, realm, key), value]));
}

/** A realm's settings as lines of elasticsearch.yml: full dotted keys, values quoted. */
export function realmYaml(type: RealmType, realm: string, settings: RealmSettings): string[] {
  return Object.entries(qualifiedSettings(type, realm, settings)).map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
}

/** Writes `files` into the config directory `directory`; a file given as lines (elasticsearch.yml's) ends with a newline. */
export function writeConfigFiles(directory: string, files: Readonly<Record<string, string | readonly string[]>>): string {
  for (const [name, text] of Object.entries(files))
    writeFileSync(join(directory, name), typeof text === 'string' ? text : `${text.join('\n')}\n`);
  return directory;
}

/** A new config directory (ES_PATH_CONF, `-c esPathConf`) holding `files`. */
export function writeConfigDirectory(files: Readonly<Record<string, string | readonly string[]>>): string {
  return writeConfigFiles(mkdtempSync(join(tmpdir(), 'es-config-')), files);
}
