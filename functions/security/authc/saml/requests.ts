import { ActionRequestValidationError, ContentParseError } from '../../../errors';
import { assertNoDuplicateFields, parseStringFields, tokenTypeOf } from '../../../request-content';

/** The bodies of the SAML APIs, read by Elasticsearch's parsers of the same names (SAML-P-1, SAML-A-1, ...). */

export interface PrepareRequest {
  readonly realm?: string;
  readonly acs?: string;
  readonly relay_state?: string;
}

export interface AuthenticateRequest {
  readonly content: string;
  readonly ids: readonly string[];
  readonly realm?: string;
}

export interface LogoutRequest {
  readonly token: string;
  readonly refresh_token?: string;
}

export interface InvalidateRequest {
  readonly query_string: string;
  readonly realm?: string;
  readonly acs?: string;
}

export interface CompleteLogoutRequest {
  readonly realm: string;
  readonly ids: readonly string[];
  readonly query_string?: string;
  readonly content?: string;
}

/** A body's fields: strings, `ids` a list of strings, `realm` also null (left out). */
function fieldsOf<F extends string>(body: unknown, rawBody: string, parser: string, strings: readonly F[], withIds: boolean) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ContentParseError(`[1:1] [${parser}] Expected START_OBJECT but was ${tokenTypeOf(body)}`);
  }
  assertNoDuplicateFields(rawBody);
  const entries = Object.entries(body).filter(([key, value]) => !(key === 'realm' && value === null));
  const ids = withIds ? (body as Record<string, unknown>).ids : undefined;
  if (ids !== undefined && (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string'))) {
    throw new ContentParseError(`[1:1] [${parser}] ids doesn't support values of type: ${tokenTypeOf(ids)}`);
  }
  const rest = Object.fromEntries(entries.filter(([key]) => !(withIds && key === 'ids')));
  const fields: Partial<Record<F, string>> = parseStringFields(rest, rawBody, parser, strings);
  return { ...fields, ids: (ids as string[] | undefined) ?? [] };
}

/** SAML-P-1: no request validation. */
export function parsePrepareRequest(body: unknown, rawBody: string): PrepareRequest {
  return parseStringFields(body, rawBody, 'saml_prepare_authn', ['acs', 'realm', 'relay_state']);
}

/** SAML-A-1: `content` and `ids`; an omitted `ids` is read as none (OPEN-6). */
export function parseAuthenticateRequest(body: unknown, rawBody: string): AuthenticateRequest {
  const { content, ids, realm } = fieldsOf(body, rawBody, 'saml_authenticate', ['content', 'realm'] as const, true);
  if (!content) throw new ActionRequestValidationError(['content is missing']);
  return { content, ids, ...(realm !== undefined && { realm }) };
}

/** SAML-L-1 */
export function parseLogoutRequest(body: unknown, rawBody: string): LogoutRequest {
  const request = parseStringFields(body, rawBody, 'saml_logout', ['token', 'refresh_token']);
  if (!request.token) throw new ActionRequestValidationError(['token is missing']);
  return request as LogoutRequest;
}

/** SAML-I-1 */
export function parseInvalidateRequest(body: unknown, rawBody: string): InvalidateRequest {
  const request = fieldsOf(
    body,
    rawBody,
    'saml_invalidate_session',
    ['query_string', 'queryString', 'acs', 'realm'] as const,
    false,
  );
  if (request.query_string !== undefined && request.queryString !== undefined) {
    throw new ActionRequestValidationError(['Must use either [query_string] or [queryString], not both at the same time']);
  }
  const queryString = request.query_string ?? request.queryString;
  if (!queryString) throw new ActionRequestValidationError(['query_string is missing']);
  return {
    query_string: queryString,
    ...(request.realm !== undefined && { realm: request.realm }),
    ...(request.acs !== undefined && { acs: request.acs }),
  };
}

/** SAML-C-1 */
export function parseCompleteLogoutRequest(body: unknown, rawBody: string): CompleteLogoutRequest {
  const request = fieldsOf(
    body,
    rawBody,
    'saml_complete_logout',
    ['realm', 'query_string', 'queryString', 'content'] as const,
    true,
  );
  const queryString = request.query_string ?? request.queryString;
  const messages = [
    ...(request.realm ? [] : ['realm may not be empty']),
    ...(queryString === undefined && request.content === undefined ? ['query_string and content may not both be empty'] : []),
    ...(queryString !== undefined && request.content !== undefined ? ['query_string and content may not both present'] : []),
  ];
  if (messages.length > 0) throw new ActionRequestValidationError(messages);
  return {
    realm: request.realm as string,
    ids: request.ids,
    ...(queryString !== undefined && { query_string: queryString }),
    ...(request.content !== undefined && { content: request.content }),
  };
}
