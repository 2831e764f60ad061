import { ResponseType } from 'aws-cdk-lib/aws-apigateway';
import { ElasticsearchError, NoHandlerError } from '../functions/errors';
import { bodyTooLarge } from '../functions/http/limits';
import { renderError } from '../functions/http/render-error';
import { ELASTICSEARCH_HEADERS } from '../functions/http/responses';

/** An error API Gateway answers by itself, before (or instead of) a function. */
class GatewayError extends ElasticsearchError {
  constructor(
    readonly status: number,
    readonly type: string,
    reason: string,
  ) {
    super(reason);
  }
}

export interface GatewayErrorResponse {
  readonly type: ResponseType;
  readonly statusCode: string;
  /** The body template: an Elasticsearch error body, rendered by the service's one error renderer. */
  readonly template: string;
  readonly headers: Record<string, string>;
}

/** `$context.error.message` is API Gateway's own short text ("Too Many Requests", "Internal server error"). */
const GATEWAY_MESSAGE = '$context.error.message';

/**
 * API Gateway's own answers, in Elasticsearch's error shape instead of `{"message": ...}`, so a client sees
 * the same kind of body whoever answered. A gateway response template only substitutes variables (no VTL)
 * and cannot read the status it answers with, so each mapped type fixes its status, and the two defaults
 * name one: 400 for a 4xx, and 502 for a 5xx, which here always means the function failed (clients retry it).
 */
const GATEWAY_ERRORS: readonly [ResponseType, ElasticsearchError][] = [
  // No resource or method for the request: Elasticsearch's answer to an unknown route, as the local API gives it.
  [
    ResponseType.MISSING_AUTHENTICATION_TOKEN,
    new NoHandlerError('no handler found for uri [$context.path] and method [$context.httpMethod]'),
  ],
  // The stage's throttling limits: Elasticsearch's 429.
  [ResponseType.THROTTLED, new GatewayError(429, 'es_rejected_execution_exception', GATEWAY_MESSAGE)],
  // Over API Gateway's 10 MB payload limit: the same answer the functions give past MAX_BODY_BYTES.
  [ResponseType.REQUEST_TOO_LARGE, bodyTooLarge()],
  // A web ACL (when the stack is given one) refused the request.
  [ResponseType.WAF_FILTERED, new GatewayError(403, 'security_exception', GATEWAY_MESSAGE)],
  // The function did not answer within API Gateway's 29 s.
  [ResponseType.INTEGRATION_TIMEOUT, new GatewayError(504, 'timeout_exception', GATEWAY_MESSAGE)],
  [ResponseType.DEFAULT_4XX, new GatewayError(400, 'status_exception', GATEWAY_MESSAGE)],
  [ResponseType.DEFAULT_5XX, new GatewayError(502, 'status_exception', GATEWAY_MESSAGE)],
];

/** Header values of a gateway response are mapping expressions: a literal is single-quoted. */
const literal = (value: string) => `'${value}'`;

export const GATEWAY_ERROR_RESPONSES: readonly GatewayErrorResponse[] = GATEWAY_ERRORS.map(([type, error]) => {
  const { statusCode, body } = renderError(error);
  return {
    type,
    statusCode: String(statusCode),
    template: body,
    headers: Object.fromEntries(Object.entries(ELASTICSEARCH_HEADERS).map(([name, value]) => [name, literal(value)])),
  };
});
