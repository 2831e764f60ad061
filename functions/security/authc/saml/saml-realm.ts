import { inflateRawSync } from 'node:zlib';
import type { CacheProvider, Profile, SAML, SamlConfig } from '@node-saml/node-saml';
import type { Clock } from '../../../clock';
import type { RealmsReader } from '../realm-settings/realm-settings';
import { assertionUseOf } from './assertion-use';
import { readSamlRealms, type SamlRealmConfig, type SignedMessage } from './realm-config';
import { checkAssertion, checkResponse } from './response-checks';
import { type AcceptedSamlUser, nameIdOf, userFromAssertion } from './saml-user';
import { spMetadata } from './sp-metadata';
import { child, children, isElement, NS, parseXml, SamlAuthenticationFailure } from './xml';

/** The SP library, loaded at the first SAML message (saml-library.ts). */
const samlLibrary = () => import('./saml-library');

/**
 * The library's reason, without what it quotes of the message (issuers, audiences, values): only the kind of
 * failure is logged, never the assertion's content.
 */
const reasonOf = (error: unknown) => String((error as Error)?.message ?? error).split(/[.:]/)[0];

/** A redirect's SAML message inflated past this is refused: a deflate bomb costs nothing else. */
const MAX_INFLATED_BYTES = 256 * 1024;

/**
 * Elasticsearch is stateless between prepare and authenticate: the caller keeps the request ids. This cache,
 * made for one call, answers the library only for the caller's `ids`, and records the id of a request built.
 */
function requestCache(ids: readonly string[]): { cache: CacheProvider; saved: string[] } {
  const saved: string[] = [];
  const cache: CacheProvider = {
    saveAsync: async (key, value) => {
      saved.push(key);
      return { value, createdAt: Date.now() };
    },
    getAsync: async (key) => (ids.includes(key) ? new Date().toISOString() : null),
    removeAsync: async () => null,
  };
  return { cache, saved };
}

export interface LogoutRequestFound {
  readonly id: string;
  readonly nameId: ReturnType<typeof nameIdOf>;
  readonly session?: string;
  readonly relayState?: string;
  readonly profile: Profile;
}

/** The raw query's parameters, refused when one is repeated or unknown (the signature covers exact bytes). */
function redirectParameters(rawQuery: string, message: 'SAMLRequest' | 'SAMLResponse'): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQuery.replace(/^\?/, ''))) {
    if (![message, 'RelayState', 'SigAlg', 'Signature'].includes(name) || name in parameters) {
      throw new SamlAuthenticationFailure(`Could not parse ${message} from query string`);
    }
    parameters[name] = value;
  }
  if (parameters[message] === undefined) throw new SamlAuthenticationFailure(`Could not parse ${message} from query string`);
  if (parameters.Signature === undefined || parameters.SigAlg === undefined) {
    throw new SamlAuthenticationFailure('Query string is not signed, but is required for HTTP-Redirect binding');
  }
  return parameters;
}

function inflate(base64: string): Document {
  let xml: string;
  try {
    xml = inflateRawSync(Buffer.from(base64, 'base64'), { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8');
  } catch {
    throw new SamlAuthenticationFailure('SAML message cannot be inflated');
  }
  return parseXml(xml);
}

/**
 * One SAML realm (Elasticsearch's `SamlRealm`, `SamlAuthenticator`, `SamlLogoutRequestHandler`,
 * `SamlLogoutResponseHandler`), over `@node-saml/node-saml` for signatures, decryption and message building.
 */
export class SamlRealm {
  readonly name: string;

  constructor(
    readonly config: SamlRealmConfig,
    private readonly clock: Clock,
  ) {
    this.name = config.name;
  }

  /** The library, for one call: signing only for the messages `signing.saml_messages` names. */
  private async library(cache: CacheProvider, signed?: SignedMessage): Promise<SAML> {
    const { SAML: Library, ValidateInResponseTo } = await samlLibrary();
    const { config } = this;
    const signing = signed !== undefined && config.signing?.messages.includes(signed) ? config.signing : undefined;
    const options: SamlConfig = {
      idpCert: [...config.idp.signingCertificates],
      issuer: config.spEntityId,
      callbackUrl: config.acs,
      audience: config.spEntityId,
      idpIssuer: config.idp.entityId,
      // SAML-V-2: a signed Response, or else every assertion signed; the library checks whichever applies.
      wantAuthnResponseSigned: false,
      wantAssertionsSigned: false,
      acceptedClockSkewMs: config.allowedClockSkewMs,
      validateInResponseTo: ValidateInResponseTo.ifPresent,
      cacheProvider: cache,
      identifierFormat: config.nameIdFormat ?? null,
      allowCreate: config.allowCreate,
      spNameQualifier: config.spNameQualifier ?? null,
      forceAuthn: config.forceAuthn,
      disableRequestedAuthnContext: config.authnContextClassRefs.length === 0,
      authnContext: [...config.authnContextClassRefs],
      racComparison: 'exact',
      signatureAlgorithm: 'sha256',
      ...(config.idp.ssoUrl !== undefined && { entryPoint: config.idp.ssoUrl }),
      ...(config.idp.sloUrl !== undefined && { logoutUrl: config.idp.sloUrl }),
      ...(config.logout !== undefined && { logoutCallbackUrl: config.logout }),
      ...(signing !== undefined && { privateKey: signing.key, publicCert: signing.certificate }),
      ...(config.encryption !== undefined && { decryptionPvk: config.encryption.key }),
    };
    return new Library(options);
  }

  /** SAML-P-3..SAML-P-5 */
  async prepare(relayState?: string): Promise<{ id: string; redirect: string }> {
    if (this.config.idp.ssoUrl === undefined) {
      throw new SamlAuthenticationFailure('Cannot find IDPSSODescriptor/SingleSignOnService HTTP-Redirect in the IdP metadata');
    }
    const { cache, saved } = requestCache([]);
    const redirect = await (await this.library(cache, 'AuthnRequest')).getAuthorizeUrlAsync(relayState ?? '', undefined, {});
    return { id: saved[0] as string, redirect };
  }

  /** SAML-V-1..SAML-V-8, SAML-U-1..SAML-U-4: the user of a Response, or a SamlAuthenticationFailure. */
  async authenticate(xml: string, content: string, ids: readonly string[]): Promise<AcceptedSamlUser> {
    const document = parseXml(xml);
    const response = document.documentElement as Element;
    if (!isElement(response, NS.protocol, 'Response')) {
      throw new SamlAuthenticationFailure('SAML content should have a root element of Namespace=[protocol] Tag=[Response]');
    }
    const context = { config: this.config, ids, now: this.clock() };
    const signed = child(response, NS.dsig, 'Signature') !== undefined;
    if (signed) {
      // SAML-V-2: a Response that is signed must verify, whatever its assertion carries.
      const verified = (await samlLibrary()).getVerifiedXml(xml, response, [...this.config.idp.signingCertificates]);
      if (verified === null) throw new SamlAuthenticationFailure('SAML Signature of the Response could not be validated');
      checkResponse(parseXml(verified).documentElement as Element, true, context);
    } else {
      checkResponse(response, false, context);
    }
    const count =
      children(response, NS.assertion, 'Assertion').length + children(response, NS.assertion, 'EncryptedAssertion').length;
    if (count === 0) throw new SamlAuthenticationFailure('No assertions found in SAML response');
    if (count > 1) throw new SamlAuthenticationFailure(`Expecting only 1 assertion, but response contains multiple (${count})`);
    const { cache } = requestCache(ids);
    let profile: Profile | null;
    try {
      ({ profile } = await (await this.library(cache)).validatePostResponseAsync({ SAMLResponse: content }));
    } catch (error) {
      throw new SamlAuthenticationFailure(`SAML response rejected: ${reasonOf(error)}`);
    }
    if (profile === null) throw new SamlAuthenticationFailure('No assertions found in SAML response');
    // The assertion the library verified: the only XML the user is read from.
    const assertionXml = profile.getAssertionXml?.();
    if (assertionXml === undefined) throw new SamlAuthenticationFailure('No assertions found in SAML response');
    const assertion = parseXml(assertionXml).documentElement as Element;
    checkAssertion(assertion, context);
    const inResponseTo = response.getAttribute('InResponseTo');
    return {
      ...userFromAssertion(this.config, assertion),
      ...(inResponseTo ? { inResponseTo } : {}),
      assertion: assertionUseOf(this.config, assertion),
    };
  }

  /** SAML-L-3: the signed LogoutRequest redirect for a session, or null when the realm does not log out at the IdP. */
  async logoutRequest(tokenMetadata: Readonly<Record<string, string>>): Promise<{ id: string; redirect: string } | null> {
    if (!this.config.useSingleLogout || this.config.idp.sloUrl === undefined) return null;
    const { cache, saved } = requestCache([]);
    const optional = (value: string | undefined) => (value ? value : undefined);
    const profile = {
      issuer: this.config.spEntityId,
      nameID: tokenMetadata.saml_nameid_val ?? '',
      nameIDFormat: optional(tokenMetadata.saml_nameid_fmt) as string,
      nameQualifier: optional(tokenMetadata.saml_nameid_qual),
      spNameQualifier: optional(tokenMetadata.saml_nameid_sp_qual),
      sessionIndex: optional(tokenMetadata.saml_session),
    } as Profile;
    const redirect = await (await this.library(cache, 'LogoutRequest')).getLogoutUrlAsync(profile, '', {});
    return { id: saved[0] as string, redirect };
  }

  /** SAML-I-2, SAML-I-3: a LogoutRequest of the IdP, its HTTP-Redirect signature verified. */
  async readLogoutRequest(rawQuery: string): Promise<LogoutRequestFound> {
    const parameters = redirectParameters(rawQuery, 'SAMLRequest');
    const request = inflate(parameters.SAMLRequest as string).documentElement as Element;
    if (!isElement(request, NS.protocol, 'LogoutRequest'))
      throw new SamlAuthenticationFailure('SAML content is not a LogoutRequest');
    const destination = request.getAttribute('Destination') ?? '';
    if (this.config.logout === undefined) {
      throw new SamlAuthenticationFailure('SAML request is for a destination but this realm is not configured for logout');
    }
    if (destination !== this.config.logout) throw new SamlAuthenticationFailure('SAML request is for another destination');
    let profile: Profile | null;
    try {
      ({ profile } = await (await this.library(requestCache([]).cache)).validateRedirectAsync(
        parameters,
        rawQuery.replace(/^\?/, ''),
      ));
    } catch (error) {
      throw new SamlAuthenticationFailure(`SAML logout request rejected: ${reasonOf(error)}`);
    }
    if (profile === null) throw new SamlAuthenticationFailure('SAML content is not a LogoutRequest');
    const session = child(request, NS.protocol, 'SessionIndex')?.textContent ?? undefined;
    return {
      id: profile.ID as string,
      nameId: nameIdOf(request),
      ...(session !== undefined && { session }),
      ...(parameters.RelayState !== undefined && { relayState: parameters.RelayState }),
      profile,
    };
  }

  /** SAML-I-5: the LogoutResponse redirect that answers a LogoutRequest. */
  async logoutResponse(found: LogoutRequestFound): Promise<string> {
    return (await this.library(requestCache([]).cache, 'LogoutResponse')).getLogoutResponseUrlAsync(
      found.profile,
      found.relayState ?? '',
      {},
      true,
    );
  }

  /** SAML-C-3: the IdP's LogoutResponse, answering one of `ids`. */
  async completeLogout(ids: readonly string[], rawQuery: string | undefined, content: string | undefined): Promise<void> {
    const { cache } = requestCache(ids);
    try {
      if (rawQuery !== undefined) {
        const parameters = redirectParameters(rawQuery, 'SAMLResponse');
        const response = inflate(parameters.SAMLResponse as string).documentElement as Element;
        if (!isElement(response, NS.protocol, 'LogoutResponse')) throw new Error('not a LogoutResponse');
        this.checkLogoutDestination(response);
        await (await this.library(cache)).validateRedirectAsync(parameters, rawQuery.replace(/^\?/, ''));
        return;
      }
      const xml = Buffer.from(content as string, 'base64').toString('utf8');
      const response = parseXml(xml).documentElement as Element;
      if (!isElement(response, NS.protocol, 'LogoutResponse') || child(response, NS.dsig, 'Signature') === undefined) {
        throw new Error('LogoutResponse is not signed, but is required for HTTP-Post binding');
      }
      this.checkLogoutDestination(response);
      const { loggedOut } = await (await this.library(cache)).validatePostResponseAsync({ SAMLResponse: content as string });
      if (!loggedOut) throw new Error('not a LogoutResponse');
    } catch (error) {
      throw new SamlAuthenticationFailure(`SAML logout response rejected: ${reasonOf(error)}`);
    }
  }

  /** SAML-C-3: a LogoutResponse's Destination, when present, is this realm's `sp.logout`. */
  private checkLogoutDestination(response: Element): void {
    const destination = response.getAttribute('Destination');
    if (destination && destination !== this.config.logout) throw new Error('LogoutResponse is for another destination');
  }

  /** SAML-M-2 */
  metadata(): string {
    return spMetadata(this.config);
  }
}

/**
 * The SAML realms of the settings over the secure settings (the SP's private keys, deployed). Their files (IdP
 * metadata, certificates, keys locally) are read from the config directory.
 */
export const samlRealmsOf: RealmsReader<SamlRealm> = (settings, secure, directory, clock) =>
  readSamlRealms(settings, directory, secure).map((realm) => new SamlRealm(realm, clock));
