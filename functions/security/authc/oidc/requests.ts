import { ActionRequestValidationError } from '../../../errors';
import { parseStringFields } from '../../../request-content';

/** The bodies of the OpenID Connect APIs, read by Elasticsearch's parsers of the same names (OIDC-P-1, OIDC-A-1, OIDC-L-1). */

const PREPARE_FIELDS = ['realm', 'iss', 'login_hint', 'state', 'nonce'] as const;
const AUTHENTICATE_FIELDS = ['redirect_uri', 'state', 'nonce', 'realm'] as const;
const LOGOUT_FIELDS = ['token', 'refresh_token'] as const;

export type PrepareRequest = Partial<Record<(typeof PREPARE_FIELDS)[number], string>>;
export type AuthenticateRequest = Partial<Record<(typeof AUTHENTICATE_FIELDS)[number], string>>;
export type LogoutRequest = Partial<Record<(typeof LOGOUT_FIELDS)[number], string>>;

/** OIDC-P-2 */
export function parsePrepareRequest(body: unknown, rawBody: string): PrepareRequest {
  const request = parseStringFields(body, rawBody, 'oidc_prepare_authentication', PREPARE_FIELDS);
  if (request.realm === undefined && request.iss === undefined)
    throw new ActionRequestValidationError(['one of [realm, issuer] must be provided']);
  if (request.realm !== undefined && request.iss !== undefined) {
    throw new ActionRequestValidationError(['only one of [realm, issuer] can be provided in the same request']);
  }
  return request;
}

/** OIDC-A-2: `realm` may also be null. */
export function parseAuthenticateRequest(body: unknown, rawBody: string): AuthenticateRequest {
  const withoutNullRealm =
    typeof body === 'object' && body !== null && (body as Record<string, unknown>).realm === null
      ? Object.fromEntries(Object.entries(body).filter(([key]) => key !== 'realm'))
      : body;
  const request = parseStringFields(withoutNullRealm, rawBody, 'oidc_authn', AUTHENTICATE_FIELDS);
  const messages = [
    ...(request.state ? [] : ['state parameter is missing']),
    ...(request.nonce ? [] : ['nonce parameter is missing']),
    ...(request.redirect_uri ? [] : ['redirect_uri parameter is missing']),
  ];
  if (messages.length > 0) throw new ActionRequestValidationError(messages);
  return request;
}

/** OIDC-L-1 */
export function parseLogoutRequest(body: unknown, rawBody: string): LogoutRequest {
  const request = parseStringFields(body, rawBody, 'oidc_logout', LOGOUT_FIELDS);
  if (!request.token) throw new ActionRequestValidationError(['token is missing']);
  return request;
}
