import { DOMParser } from '@xmldom/xmldom';

/**
 * XML as the SAML realm reads it (SAML-V-1): namespace-aware, no DOCTYPE (so no entity of any kind, external
 * or internal: no XXE, no entity expansion), no comments (which hide text from one reader and not another),
 * and a parse error is a refusal, never a partial document.
 */

export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

export const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
export const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
export const PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
export const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

/** A SAML message this realm refuses; the message is for the log only (COMMON-6). */
export class SamlAuthenticationFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SamlAuthenticationFailure';
  }
}

/** What the parser refuses before it reads anything: a document type declaration or a comment. */
const FORBIDDEN = /<!DOCTYPE|<!ENTITY|<!--/i;

export function parseXml(xml: string): Document {
  if (FORBIDDEN.test(xml)) throw new SamlAuthenticationFailure('Failed to parse SAML message');
  let failed = false;
  const onError = () => {
    failed = true;
  };
  const document = new DOMParser({
    errorHandler: { warning: () => undefined, error: onError, fatalError: onError },
  }).parseFromString(xml, 'text/xml');
  if (failed || document?.documentElement == null) throw new SamlAuthenticationFailure('Failed to parse SAML message');
  return document as unknown as Document;
}

/** The element children of `parent` with this namespace and local name. */
export function children(parent: Element, namespace: string, localName: string): Element[] {
  const found: Element[] = [];
  for (let node = parent.firstChild; node !== null; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as Element).namespaceURI === namespace && (node as Element).localName === localName) {
      found.push(node as Element);
    }
  }
  return found;
}

/** Every descendant element with this namespace and local name (xmldom's node lists are not iterable). */
export function descendants(parent: Element | Document, namespace: string, localName: string): Element[] {
  const list = parent.getElementsByTagNameNS(namespace, localName);
  return Array.from({ length: list.length }, (_, i) => list.item(i) as Element);
}

export function child(parent: Element, namespace: string, localName: string): Element | undefined {
  return children(parent, namespace, localName)[0];
}

/** An attribute's value, undefined when absent (xmldom answers '' for both). */
export function attribute(element: Element, name: string): string | undefined {
  return element.hasAttribute(name) ? (element.getAttribute(name) ?? undefined) : undefined;
}

export function text(element: Element | undefined): string | undefined {
  return element?.textContent?.trim() ?? undefined;
}

export function isElement(element: Element, namespace: string, localName: string): boolean {
  return element.namespaceURI === namespace && element.localName === localName;
}
