import { randomBytes } from 'node:crypto';
import type { Clock } from '../../../clock';
import type { RealmsReader } from '../realm-settings/realm-settings';
import { type Claims, mergeClaims, OidcAuthenticationFailure, type OidcUser, userFromClaims } from './claims';
import { fileKeySource, IdTokenValidator, type KeySource, remoteKeySource } from './id-token';
import { exchangeCode, fetchUserInfo } from './provider-client';
import { type OidcRealmConfig, readOidcRealms } from './realm-config';

/** Nimbus' default `State` and `Nonce`: 32 random bytes, base64url (OIDC-P-4). */
function randomValue(): string {
  return randomBytes(32).toString('base64url');
}

export interface PreparedAuthentication {
  readonly redirect: string;
  readonly state: string;
  readonly nonce: string;
  readonly realm: string;
}

/** OIDC-S-4: an `https://` JWK set is fetched (and cached by jose), a file is read from the config directory. */
function keySourceFor(config: OidcRealmConfig): KeySource {
  const { jwkSet } = config;
  return 'url' in jwkSet ? remoteKeySource(jwkSet.url, config.httpTimeoutMs) : fileKeySource(jwkSet.file);
}

/** The parameters of the provider's answer, from the query or else the fragment of the redirect URI. */
function responseParameters(redirectUri: string): URLSearchParams {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    throw new OidcAuthenticationFailure('Failed to consume the OpenID connect response.');
  }
  return url.search.length > 1 ? url.searchParams : new URLSearchParams(url.hash.slice(1));
}

/**
 * One OpenID Connect realm (Elasticsearch's `OpenIdConnectRealm` and `OpenIdConnectAuthenticator`), stateless
 * as Elasticsearch is: the caller keeps `state` and `nonce` between prepare and authenticate.
 */
export class OidcRealm {
  readonly name: string;
  private readonly validator: IdTokenValidator;

  constructor(
    readonly config: OidcRealmConfig,
    private readonly clock: Clock,
    keys?: KeySource,
  ) {
    this.name = config.name;
    this.validator = new IdTokenValidator(config, keys ?? keySourceFor(config), clock);
  }

  /** OIDC-P-4, OIDC-P-5: the authorization request the browser is sent to. */
  prepare(options: { state?: string; nonce?: string; loginHint?: string }): PreparedAuthentication {
    const state = options.state ?? randomValue();
    const nonce = options.nonce ?? randomValue();
    const url = new URL(this.config.authorizationEndpoint);
    url.searchParams.set('response_type', this.config.responseType);
    url.searchParams.set('scope', this.config.requestedScopes.join(' '));
    url.searchParams.set('client_id', this.config.clientId);
    url.searchParams.set('redirect_uri', this.config.redirectUri);
    url.searchParams.set('state', state);
    url.searchParams.set('nonce', nonce);
    if (options.loginHint !== undefined) url.searchParams.set('login_hint', options.loginHint);
    return { redirect: url.toString(), state, nonce, realm: this.name };
  }

  /** OIDC-A-3..OIDC-A-7: the user of the provider's answer, or an OidcAuthenticationFailure. */
  async authenticate(redirectUri: string, state: string, nonce: string): Promise<OidcUser> {
    const parameters = responseParameters(redirectUri);
    if (parameters.has('error'))
      throw new OidcAuthenticationFailure('OpenID Connect Provider response indicates authentication failure');
    const responseState = parameters.get('state');
    if (responseState === null) {
      throw new OidcAuthenticationFailure('Failed to validate the response, the response did not contain a state parameter');
    }
    if (responseState !== state) throw new OidcAuthenticationFailure('Invalid state parameter');
    const code = parameters.get('code');
    if (code === null)
      throw new OidcAuthenticationFailure(`Unexpected response type, while [${this.config.responseType}] is configured`);
    const tokens = await exchangeCode(this.config, code, this.clock);
    const idClaims = (await this.validator.validate(tokens.idToken, { nonce, accessToken: tokens.accessToken })) as Claims;
    let claims = idClaims;
    if (tokens.accessToken !== undefined && this.config.userinfoEndpoint !== undefined) {
      claims = mergeClaims(idClaims, await fetchUserInfo(this.config, tokens.accessToken, String(idClaims.sub)));
    }
    return userFromClaims(this.config, claims);
  }

  /**
   * OIDC-L-3: the provider's end-session URL, or null without `op.endsession_endpoint`. The raw ID token is
   * never stored by this service, so the request names the client (`client_id`, which OpenID Connect
   * RP-Initiated Logout accepts in place of `id_token_hint`).
   */
  logoutUrl(): string | null {
    if (this.config.endSessionEndpoint === undefined) return null;
    const url = new URL(this.config.endSessionEndpoint);
    url.searchParams.set('client_id', this.config.clientId);
    if (this.config.postLogoutRedirectUri !== undefined) {
      url.searchParams.set('post_logout_redirect_uri', this.config.postLogoutRedirectUri);
    }
    url.searchParams.set('state', randomValue());
    return url.toString();
  }
}

/** The OpenID Connect realms of the settings, over their client secrets (the secure settings). */
export const oidcRealmsOf: RealmsReader<OidcRealm> = (settings, secure, directory, clock) =>
  readOidcRealms(settings, secure, directory).map((realm) => new OidcRealm(realm, clock));
