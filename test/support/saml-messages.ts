import { randomBytes } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import type { KeyPair } from './saml-idp';
import { recordSecret } from './secrets-audit';

/**
 * SAML Responses made by hand and signed with xml-crypto, for the cases a well-behaved IdP never sends:
 * every field can be set, either element signed (or neither), with any key.
 */

export interface ResponseFields {
  readonly issuer: string;
  readonly destination?: string;
  readonly inResponseTo?: string;
  readonly audience: string;
  readonly recipient: string;
  readonly nameId: string;
  readonly uid: string;
  readonly notBefore: Date;
  readonly notOnOrAfter: Date;
  readonly sessionIndex?: string;
}

const newId = () => `_${randomBytes(20).toString('hex')}`;

export function assertionXml(fields: ResponseFields, id = newId()): string {
  const inResponseTo = fields.inResponseTo === undefined ? '' : ` InResponseTo="${fields.inResponseTo}"`;
  const nb = fields.notBefore.toISOString();
  const noa = fields.notOnOrAfter.toISOString();
  return (
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${nb}">` +
    `<saml:Issuer>${fields.issuer}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient">${fields.nameId}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${noa}" Recipient="${fields.recipient}"${inResponseTo}/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${nb}" NotOnOrAfter="${noa}"><saml:AudienceRestriction><saml:Audience>${fields.audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${nb}" SessionIndex="${fields.sessionIndex ?? newId()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement><saml:Attribute Name="urn:oid:0.9.2342.19200300.100.1.1" FriendlyName="uid"><saml:AttributeValue>${fields.uid}</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>` +
    '</saml:Assertion>'
  );
}

export function responseXml(fields: ResponseFields, assertions: string, id = newId()): string {
  const destination = fields.destination === undefined ? '' : ` Destination="${fields.destination}"`;
  const inResponseTo = fields.inResponseTo === undefined ? '' : ` InResponseTo="${fields.inResponseTo}"`;
  return (
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${fields.notBefore.toISOString()}"${destination}${inResponseTo}>` +
    `<saml:Issuer>${fields.issuer}</saml:Issuer>` +
    '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>' +
    `${assertions}</samlp:Response>`
  );
}

/** Signs the element `localName` (enveloped, exclusive c14n, RSA-SHA256), the signature after its Issuer. */
export function sign(xml: string, localName: 'Response' | 'Assertion', keys: KeyPair): string {
  const signer = new SignedXml({
    privateKey: keys.key,
    publicCert: keys.certificate,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  signer.addReference({
    xpath: `//*[local-name(.)='${localName}']`,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  signer.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `//*[local-name(.)='${localName}']/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return signer.getSignedXml();
}

export const base64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');

/**
 * Records a SAML Response for the secrets audit: the whole message and the IDs of the Response and its
 * assertion, none of which the service may store or log (the NameID and SessionIndex are kept, SAML-U-4).
 */
export function recordSamlResponse(content: string): string {
  recordSecret('password', content);
  const xml = Buffer.from(content, 'base64').toString('utf8');
  for (const [, id] of xml.matchAll(/<(?:\w+:)?(?:Response|Assertion)\b[^>]*\sID="([^"]+)"/g)) recordSecret('password', id);
  return content;
}
