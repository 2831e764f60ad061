import type { APIGatewayProxyResult } from 'aws-lambda';
import {
  AuthenticationError,
  ElasticsearchError,
  MethodNotAllowedError,
  NoHandlerError,
  OAuth2Error,
  StorageUnavailableError,
  TokenExpiredError,
  UnsupportedContentTypeError,
} from '../errors';
import { jsonResponse } from './responses';

/** ER-8: the challenges of the realms this service offers (Basic for the realm chain, Bearer for tokens). */
const REALM_CHALLENGES = ['Basic realm="security" charset="UTF-8"', 'Bearer realm="security"'];
/** AU-4 */
const EXPIRED_TOKEN_CHALLENGE = ['Bearer realm="security", error="invalid_token", error_description="The access token expired"'];

/**
 * ER-11: a 503 tells the client when to try again; a second is the scale of DynamoDB's own throttling
 * backoff, and a client that honours it does not hammer a storage that is recovering.
 */
const STORAGE_RETRY = { 'Retry-After': ['1'] };

function challengesOf(error: ElasticsearchError): string[] | undefined {
  if (error instanceof TokenExpiredError) return EXPIRED_TOKEN_CHALLENGE;
  if (error instanceof AuthenticationError) return REALM_CHALLENGES;
  return undefined;
}

/**
 * The one place where errors become responses. Like middy's http-error-handler, only what the caller
 * may see is shown: an error that is not one of ours becomes a generic 500 with no message or stack.
 */
export function renderError(error: unknown): APIGatewayProxyResult {
  if (error instanceof OAuth2Error) {
    return jsonResponse(error.status, { error: error.code, error_description: error.description });
  }
  // RestController's own answers are a bare message, not an exception (its createSimpleErrorResponse).
  if (error instanceof UnsupportedContentTypeError) {
    return jsonResponse(error.status, { error: error.reason, status: error.status });
  }
  if (error instanceof MethodNotAllowedError) {
    const response = jsonResponse(error.status, { error: error.reason, status: error.status });
    return { ...response, headers: { ...response.headers, Allow: error.allowed.join(',') } };
  }
  // ER-15: handleBadRequest writes the message alone, without a status.
  if (error instanceof NoHandlerError) return jsonResponse(error.status, { error: error.reason });
  if (error instanceof ElasticsearchError) {
    const challenges = challengesOf(error);
    const { caused_by, ...extra } = error.details;
    const header = challenges && { header: { 'WWW-Authenticate': challenges } };
    const cause = { type: error.type, reason: error.reason, ...extra, ...header };
    return jsonResponse(
      error.status,
      {
        error: { root_cause: [cause], ...cause, ...(caused_by !== undefined && { caused_by }) },
        status: error.status,
      },
      challenges ? { 'WWW-Authenticate': challenges } : error instanceof StorageUnavailableError ? STORAGE_RETRY : undefined,
    );
  }
  const reason = 'internal server error';
  return jsonResponse(500, {
    error: { root_cause: [{ type: 'exception', reason }], type: 'exception', reason },
    status: 500,
  });
}
