import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Clock } from '../../../clock';
import { assertClaimsDepth, type Claims, OidcAuthenticationFailure } from './claims';
import type { OidcRealmConfig } from './realm-config';

/**
 * The back-channel calls to the OpenID Provider: the code exchange (OIDC-A-5) and userinfo (OIDC-A-7). Each
 * call is bounded by the realm's HTTP timeout. Nothing the provider answers is logged: a failure's message
 * names the step and the HTTP status only.
 */

export interface TokenResponse {
  readonly idToken: string;
  readonly accessToken?: string;
}

async function clientAuthentication(config: OidcRealmConfig, clock: Clock) {
  const headers: Record<string, string> = {};
  const form: Record<string, string> = {};
  if (config.clientAuthMethod === 'client_secret_basic') {
    const credentials = `${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
  } else if (config.clientAuthMethod === 'client_secret_post') {
    form.client_id = config.clientId;
    form.client_secret = config.clientSecret;
  } else {
    const now = Math.floor(clock() / 1000);
    form.client_assertion_type = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
    form.client_assertion = await new SignJWT({})
      .setProtectedHeader({ alg: config.clientAuthJwtAlgorithm })
      .setIssuer(config.clientId)
      .setSubject(config.clientId)
      .setAudience(config.tokenEndpoint as string)
      .setJti(randomUUID())
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(new TextEncoder().encode(config.clientSecret));
  }
  return { headers, form };
}

async function call(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new OidcAuthenticationFailure(`Failed to reach the OpenID Connect Provider (${(error as Error).name})`);
  }
}

async function jsonBody(response: Response, what: string): Promise<Claims> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    throw new OidcAuthenticationFailure(`Unable to parse ${what}. Content type was expected to be [application/json]`);
  }
  try {
    const body: unknown = await response.json();
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
    return body as Claims;
  } catch {
    throw new OidcAuthenticationFailure(`Unable to parse ${what}`);
  }
}

/** OIDC-A-5: `authorization_code` grant, no PKCE; an expired or replayed code is the provider's 400. */
export async function exchangeCode(config: OidcRealmConfig, code: string, clock: Clock): Promise<TokenResponse> {
  const auth = await clientAuthentication(config, clock);
  const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: config.redirectUri, ...auth.form });
  const response = await call(
    config.tokenEndpoint as string,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...auth.headers },
      body,
    },
    config.httpTimeoutMs,
  );
  if (response.status !== 200) {
    // An expired or replayed code is the provider's 400; its error body is not read, so nothing of it is logged.
    throw new OidcAuthenticationFailure(`Failed to exchange code for Id Token. Status=[${response.status}]`);
  }
  const tokens = await jsonBody(response, 'Token Response');
  if (typeof tokens.id_token !== 'string') {
    throw new OidcAuthenticationFailure('Token Response did not contain an ID Token or parsing of the JWT failed.');
  }
  if (typeof tokens.token_type === 'string' && tokens.token_type.toLowerCase() !== 'bearer') {
    throw new OidcAuthenticationFailure('Invalid access token type, while [Bearer] was expected');
  }
  const accessToken = typeof tokens.access_token === 'string' ? tokens.access_token : undefined;
  return { idToken: tokens.id_token, ...(accessToken !== undefined && { accessToken }) };
}

/** OIDC-A-7: the userinfo claims, which must be of the ID token's subject. */
export async function fetchUserInfo(config: OidcRealmConfig, accessToken: string, subject: string): Promise<Claims> {
  const response = await call(
    config.userinfoEndpoint as string,
    { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } },
    config.httpTimeoutMs,
  );
  if (response.status !== 200) {
    throw new OidcAuthenticationFailure(`Failed to get user information from the UserInfo endpoint. Code=[${response.status}]`);
  }
  if ((response.headers.get('content-type') ?? '').startsWith('application/jwt')) {
    throw new OidcAuthenticationFailure('Signed/encrypted JWTs are not currently supported');
  }
  const claims = await jsonBody(response, 'UserInfo Response');
  assertClaimsDepth(claims, 'UserInfo Response');
  if (claims.sub !== subject) {
    throw new OidcAuthenticationFailure('Userinfo Response is not valid as it is for a different subject than the ID Token');
  }
  return claims;
}
