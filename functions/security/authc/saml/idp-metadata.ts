import { ConfigurationError } from '../../../config';
import { attribute, children, descendants, NS, parseXml, REDIRECT_BINDING, SamlAuthenticationFailure } from './xml';

/** What the realm needs of the IdP's metadata (`idp.metadata.path`), for the entity named `idp.entity_id`. */
export interface IdpMetadata {
  readonly entityId: string;
  /** PEM certificates whose keys may sign the IdP's messages (KeyDescriptor use="signing" or no use). */
  readonly signingCertificates: readonly string[];
  /** The HTTP-Redirect SingleSignOnService (SAML-P-3). */
  readonly ssoUrl?: string;
  /** The HTTP-Redirect SingleLogoutService, and where its responses go (ResponseLocation, else Location). */
  readonly sloUrl?: string;
  readonly sloResponseUrl?: string;
}

function pem(base64: string): string {
  const body = base64.replace(/\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\n${body.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

function entityDescriptor(document: Document, entityId: string): Element | undefined {
  return descendants(document, NS.metadata, 'EntityDescriptor').find(
    (descriptor) => descriptor.getAttribute('entityID') === entityId,
  );
}

function redirectService(descriptor: Element, name: string): Element | undefined {
  return children(descriptor, NS.metadata, name).find((service) => service.getAttribute('Binding') === REDIRECT_BINDING);
}

export function parseIdpMetadata(xml: string, entityId: string, setting: string): IdpMetadata {
  let document: Document;
  try {
    document = parseXml(xml);
  } catch (error) {
    if (!(error instanceof SamlAuthenticationFailure)) throw error;
    throw new ConfigurationError(`Setting [${setting}]: the IdP metadata is not valid XML`);
  }
  const descriptor = entityDescriptor(document, entityId);
  const idp = descriptor && children(descriptor, NS.metadata, 'IDPSSODescriptor')[0];
  if (idp === undefined) {
    throw new ConfigurationError(`Setting [${setting}]: no IDPSSODescriptor for entity [${entityId}] in the IdP metadata`);
  }
  const signingCertificates = children(idp, NS.metadata, 'KeyDescriptor')
    .filter((key) => (attribute(key, 'use') ?? 'signing') === 'signing')
    .flatMap((key) => descendants(key, NS.dsig, 'X509Certificate'))
    .map((certificate) => pem(certificate.textContent ?? ''));
  if (signingCertificates.length === 0) {
    throw new ConfigurationError(`Setting [${setting}]: the IdP metadata of [${entityId}] has no signing certificate`);
  }
  const sso = redirectService(idp, 'SingleSignOnService');
  const slo = redirectService(idp, 'SingleLogoutService');
  return {
    entityId,
    signingCertificates,
    ssoUrl: sso?.getAttribute('Location') ?? undefined,
    sloUrl: slo?.getAttribute('Location') ?? undefined,
    sloResponseUrl: slo && (attribute(slo, 'ResponseLocation') ?? slo.getAttribute('Location') ?? undefined),
  };
}
