/**
 * The typed errors of the service. Each carries the facts of the failure; how it looks on the
 * wire (ES error body, OAuth2 body, status, headers) is decided in one place: http/render-error.ts.
 */

/** Base of every error that becomes an Elasticsearch error body (`{"error":{...},"status":N}`). */
export abstract class ElasticsearchError extends Error {
  abstract readonly status: number;
  abstract readonly type: string;
  /** Extra keys of the error object (e.g. `caused_by`, `additional_unsuccessful_credentials`). */
  readonly details: Record<string, unknown>;

  constructor(reason: string, details: Record<string, unknown> = {}) {
    super(reason);
    this.name = new.target.name;
    this.details = details;
  }

  get reason(): string {
    return this.message;
  }
}

/** ER-4, ER-5: a body that is absent or is not JSON. */
export class ParseError extends ElasticsearchError {
  readonly status = 400;
  readonly type = 'parse_exception';
}

/** An Elasticsearch `ParsingException` (e.g. a role mapping that misses a field), rendered as `parsing_exception`. */
export class ParsingError extends ElasticsearchError {
  readonly status = 400;
  readonly type = 'parsing_exception';
}

/** ER-5..ER-7, IV-1: a JSON body whose content does not fit the request's object parser. */
export class ContentParseError extends ElasticsearchError {
  readonly status = 400;
  readonly type = 'x_content_parse_exception';
}

/** IV-2, IV-3: an ES `ActionRequestValidationException`. */
export class ActionRequestValidationError extends ElasticsearchError {
  readonly status = 400;
  readonly type = 'action_request_validation_exception';

  constructor(readonly messages: readonly string[]) {
    super(formatValidationMessages(messages));
  }
}

/** A request Elasticsearch refuses with an IllegalArgumentException (e.g. deleting a reserved user or role). */
export class IllegalArgumentError extends ElasticsearchError {
  readonly status = 400;
  readonly type = 'illegal_argument_exception';
}

/**
 * A request whose Content-Type (or Accept) is not JSON. Elasticsearch's RestController answers 406 with
 * its simple error form, `{"error":"Content-Type header [..] is not supported","status":406}`.
 */
export class UnsupportedContentTypeError extends ElasticsearchError {
  readonly status = 406;
  readonly type = 'status_exception';
}

/** An Accept or Content-Type header Elasticsearch's RestRequest cannot read (MediaTypeHeaderException). */
export class MediaTypeHeaderError extends ElasticsearchError {
  readonly status = 400;
  readonly type = 'media_type_header_exception';

  constructor(headers: readonly ('Accept' | 'Content-Type')[], cause: { type: string; reason: string }) {
    super(`Invalid media-type value on headers [${headers.join(', ')}]`, { caused_by: cause });
  }
}

/** The body is larger than the service accepts. */
export class RequestTooLargeError extends ElasticsearchError {
  readonly status = 413;
  readonly type = 'content_too_long_exception';
}

/**
 * ER-15: no route for this path, answered as RestController's handleBadRequest writes it: `{"error": reason}`,
 * the reason `no handler found for uri [..] and method [..]` (render-error.ts).
 */
export class NoHandlerError extends ElasticsearchError {
  readonly status = 400;
  readonly type = 'illegal_argument_exception';
}

/** A request the HTTP layer itself cannot read (malformed framing, headers too large). */
export class MalformedRequestError extends ElasticsearchError {
  readonly type = 'illegal_argument_exception';

  constructor(
    reason: string,
    readonly status = 400,
  ) {
    super(reason);
  }
}

/**
 * ER-14: a known path called with a method it does not serve, answered as RestController's
 * handleUnsupportedHttpMethod: `{"error": reason, "status": 405}` and the allowed methods in `Allow`.
 */
export class MethodNotAllowedError extends ElasticsearchError {
  readonly status = 405;
  readonly type = 'method_not_allowed_exception';

  constructor(
    uri: string,
    method: string,
    readonly allowed: readonly string[],
  ) {
    super(`Incorrect HTTP method for uri [${uri}] and method [${method}], allowed: [${allowed.join(', ')}]`);
  }
}

/**
 * ER-8, ER-9, GT-7, GT-10, AU-5: the caller (or the user of a password grant) is not authenticated.
 * Always answered with the WWW-Authenticate challenges of the realms.
 */
export class AuthenticationError extends ElasticsearchError {
  readonly status = 401;
  readonly type = 'security_exception';
}

/** AU-4: a Bearer token that was valid once but has expired or been invalidated. */
export class TokenExpiredError extends AuthenticationError {
  constructor() {
    super('token expired');
  }
}

/**
 * A Bearer token that holds its pair's secret but whose other parts (the kind byte, the scope digests the
 * watermark reads use) were changed: answered as any invalid token, audited as Elasticsearch's tampered_request.
 */
export class TamperedTokenError extends AuthenticationError {}

/** ER-10: authenticated, but no role grants the action's cluster privilege. */
export class AuthorizationError extends ElasticsearchError {
  readonly status = 403;
  readonly type = 'security_exception';
}

/**
 * An Elasticsearch `ElasticsearchSecurityException` raised without a status (a 500 there) for what is the
 * client's mistake, such as naming a realm that does not exist: the house rule answers 400 with the same
 * type and reason.
 */
export class SecurityRequestError extends ElasticsearchError {
  readonly status = 400;
  readonly type = 'security_exception';
}

/** The stores of the service, as a storage failure names them. */
export type StoreName = 'token' | 'user' | 'role' | 'role_mapping';

/** ER-11: the storage failed or throttled; the request may be retried. */
export class StorageUnavailableError extends ElasticsearchError {
  readonly status = 503;
  readonly type = 'unavailable_shards_exception';

  /** Throttling and transient faults: the same call may succeed if tried again shortly. */
  readonly retryable: boolean;

  constructor(store: StoreName, operation: string, options: { cause?: unknown; retryable?: boolean } = {}) {
    super(`the ${store} store is unavailable [${operation}]`);
    this.retryable = options.retryable ?? false;
    // The cause is kept for the log line, never rendered: it may carry storage internals.
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

/** OAuth2 error codes used by the get-token API (RFC 6749 §5.2). */
export type OAuth2ErrorCode = 'invalid_request' | 'unsupported_grant_type' | 'invalid_grant';

/** GT-1..GT-6 and RF-2..RF-6: answered as `{"error": code, "error_description": text}`, status 400. */
export class OAuth2Error extends Error {
  readonly status = 400;

  constructor(
    readonly code: OAuth2ErrorCode,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuth2Error';
  }
}

/** `Validation Failed: 1: m1;2: m2;`, the text of Elasticsearch's ValidationException. */
export function formatValidationMessages(messages: readonly string[]): string {
  return `Validation Failed: ${messages.map((m, i) => `${i + 1}: ${m};`).join('')}`;
}
