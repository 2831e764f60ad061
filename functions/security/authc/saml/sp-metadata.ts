import type { SamlRealmConfig } from './realm-config';
import { NS, REDIRECT_BINDING } from './xml';

const POST_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

const escapeXml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A PEM certificate's base64 body, as `ds:X509Certificate` holds it. */
const certificateBody = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');

function keyDescriptor(use: 'signing' | 'encryption', certificate: string): string {
  return (
    `<md:KeyDescriptor use="${use}"><ds:KeyInfo xmlns:ds="${NS.dsig}"><ds:X509Data>` +
    `<ds:X509Certificate>${certificateBody(certificate)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`
  );
}

/**
 * SAML-M-2: the service provider's metadata as Elasticsearch's `SamlSpMetadataBuilder` writes it: the SP entity,
 * whether AuthnRequests are signed, WantAssertionsSigned, the signing and encryption certificates, the
 * HTTP-Redirect logout service (if `sp.logout`) and the HTTP-POST assertion consumer service.
 */
export function spMetadata(config: SamlRealmConfig): string {
  const signsAuthnRequests = config.signing?.messages.includes('AuthnRequest') ?? false;
  const keys = [
    ...(config.signing ? [keyDescriptor('signing', config.signing.certificate)] : []),
    ...(config.encryption ? [keyDescriptor('encryption', config.encryption.certificate)] : []),
  ];
  const logout =
    config.logout === undefined
      ? ''
      : `<md:SingleLogoutService Binding="${REDIRECT_BINDING}" Location="${escapeXml(config.logout)}"/>`;
  const nameIdFormat =
    config.nameIdFormat === undefined ? '' : `<md:NameIDFormat>${escapeXml(config.nameIdFormat)}</md:NameIDFormat>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="${NS.metadata}" entityID="${escapeXml(config.spEntityId)}">` +
    `<md:SPSSODescriptor AuthnRequestsSigned="${signsAuthnRequests}" WantAssertionsSigned="true" protocolSupportEnumeration="${NS.protocol}">` +
    `${keys.join('')}${logout}${nameIdFormat}` +
    `<md:AssertionConsumerService Binding="${POST_BINDING}" Location="${escapeXml(config.acs)}" index="1" isDefault="true"/>` +
    '</md:SPSSODescriptor></md:EntityDescriptor>'
  );
}
