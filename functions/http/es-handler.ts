import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { ChainOfRealms, RequestAuthenticator } from '../app/request-authenticator';
import type { AuditTrail, RequestAudit } from '../audit/audit-trail';
import { observedRealms } from '../audit/audited-realms';
import { auditAuthenticationFailure, auditAuthenticationSuccess, auditedRequestOf } from '../audit/pipeline-audit';
import { ElasticsearchError, IllegalArgumentError, OAuth2Error, ParseError, UnsupportedContentTypeError } from '../errors';
import type { Authentication } from '../security/authc/authentication';
import { RUN_AS_HEADER, type RunAs } from '../security/authz/run-as';
import { correlateWithGateway, logger, withRequestLogger } from '../telemetry/logger';
import { recordMetrics } from '../telemetry/metrics';
import { traceInvocations } from '../telemetry/tracer';
import { bodyTooLarge, MAX_BODY_BYTES } from './limits';
import { negotiateMediaTypes } from './media-types';
import { renderError } from './render-error';
import { bodyBytes, decodeUtf8Body } from './request-body';
import { shapeResponses } from './response-shape';
import { assertKnownParameters } from './rest-parameters';
import { assertSingleValuedHeaders } from './single-valued-headers';

/** What the pipeline adds to the Lambda context before the handler runs. */
export interface EsContext extends Context {
  /** The authenticated caller (ER-8, ER-9, AU-1). */
  caller: Authentication;
  /** The body as received, for Elasticsearch's `[line:col]` positions in parse errors; '' without a body. */
  rawBody: string;
  /** The request's audit events, when the audit trail is enabled (audit/audit-trail.ts). */
  audit?: RequestAudit;
}

export type EsEvent = Omit<APIGatewayProxyEvent, 'body'> & { body: unknown };
/** A function's answer to an API Gateway proxy event, as Lambda, `sam local` and the local API call it. */
export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
/** What the pipeline needs of the service: who the caller is, and whom it runs as. */
export interface PipelineService {
  readonly authenticator: RequestAuthenticator;
  readonly runAs: RunAs;
  readonly audit?: AuditTrail;
}
type EsMiddleware = MiddlewareObj<EsEvent, APIGatewayProxyResult, Error, EsContext>;

export interface EsHandlerOptions {
  /**
   * ER-4: the token APIs refuse a request without a body; the APIs that read none refuse one that has it; the
   * query APIs read one when it is sent (none is a query for every item). `form`: an OAuth 2.0 endpoint's
   * `application/x-www-form-urlencoded` body, read as a FormBody (RFC 7662 §2.1).
   */
  readonly body: 'required' | 'optional' | 'none' | 'form';
  /** The API's own query parameters, as its Elasticsearch REST spec declares them (rest-parameters.ts). */
  readonly params?: readonly string[];
}

/** The URI Elasticsearch quotes in its authentication messages: the path and the query string. */
function requestUri(event: Pick<APIGatewayProxyEvent, 'path' | 'queryStringParameters'>): string {
  const query = new URLSearchParams(
    Object.entries(event.queryStringParameters ?? {}).map(([k, v]) => [k, v ?? ''] as [string, string]),
  ).toString();
  return query === '' ? event.path : `${event.path}?${query}`;
}

/**
 * API Gateway keeps header names as the client sent them, and HTTP says they are case-insensitive:
 * lower-case them once so every later step reads one spelling. First, a single-valued header sent twice is
 * refused, since `headers` would keep only one of its values.
 */
const normalizeRequest = (): EsMiddleware => ({
  before: ({ event, context }) => {
    context.rawBody = '';
    assertSingleValuedHeaders(event);
    event.headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  },
});

/** Logs one line a request and renders every failure in one place (render-error.ts). */
const esResponses = (): EsMiddleware => {
  const log = (event: EsEvent, statusCode: number, errorType?: string) =>
    logger.info('request', { method: event.httpMethod, path: event.path, status: statusCode, ...(errorType && { errorType }) });
  return {
    after: ({ event, response }) => {
      if (response) log(event, response.statusCode);
    },
    onError: (request) => {
      const { error, event } = request;
      request.response = renderError(error);
      if (error instanceof ElasticsearchError || request.response.statusCode < 500) {
        log(event, request.response.statusCode, error instanceof ElasticsearchError ? error.type : error?.name);
      }
      if (request.response.statusCode >= 500) {
        // Names only: an SDK or runtime message is not shown to the caller, and is not needed to diagnose.
        const cause = error?.cause as { name?: string } | undefined;
        logger.error('request failed', {
          method: event.httpMethod,
          path: event.path,
          status: request.response.statusCode,
          errorName: error?.name,
          ...(cause?.name && { causeName: cause.name }),
        });
      }
    },
  };
};

const authenticateCaller = (authenticator: () => RequestAuthenticator): EsMiddleware => ({
  before: async ({ event, context }) => {
    try {
      const { audit } = context;
      const observe =
        audit &&
        ((realms: ChainOfRealms) =>
          observedRealms(realms, (realm, username) => audit.realmAuthenticationFailed(realm, username)));
      context.caller = await authenticator().authenticate(event.headers.authorization, requestUri(event), observe);
    } catch (error) {
      if (context.audit !== undefined) auditAuthenticationFailure(context.audit, event.headers.authorization, error);
      throw error;
    }
  },
});

/** Run-as (security/authz/run-as.ts): from here on the request is the target's; authorization checks it was allowed. */
const runAsTarget = (runAs: () => RunAs): EsMiddleware => ({
  before: async ({ event, context }) => {
    context.caller = await runAs().apply(context.caller, event.headers[RUN_AS_HEADER]);
    auditAuthenticationSuccess(context.audit, context.caller);
  },
});

/** The size limit comes first, as in Elasticsearch's HTTP layer, whatever the API does with a body. */
function refuseOversized(body: Buffer): void {
  if (body.length > MAX_BODY_BYTES) throw bodyTooLarge();
}

/**
 * ER-3..ER-5, ER-13: a JSON body is required, strictly UTF-8. Which media types are JSON is decided once, by the
 * media types' check (media-types.ts, which refused any other): the parsing itself is middy's
 * http-json-body-parser, told not to decide again (its own check is case-sensitive and knows no x-ndjson).
 */
const requiredJsonBody = (): EsMiddleware => {
  // An option of the parser's code (index.js) that its type declarations omit; the ER-3 tests hold it.
  const options = { disableContentTypeCheck: true } as Parameters<typeof httpJsonBodyParser>[0];
  const parser = httpJsonBodyParser(options) as unknown as EsMiddleware;
  return {
    before: async (request) => {
      const { event, context } = request;
      const bytes = bodyBytes(event);
      if (bytes.length === 0) throw new ParseError('request body is required'); // ER-4
      refuseOversized(bytes);
      if (event.headers['content-type'] === undefined) throw new UnsupportedContentTypeError('Content-Type header is missing');
      context.rawBody = decodeUtf8Body(bytes);
      event.body = context.rawBody;
      event.isBase64Encoded = false;
      try {
        await parser.before?.(request);
      } catch {
        // The parser's own message quotes the body, which may hold a password: it is not passed on.
        throw new ParseError('request body is not valid JSON'); // ER-5
      }
    },
  };
};

/** A body the API may go without; when one is sent, it is read as a required one is. */
const optionalJsonBody = (): EsMiddleware => {
  const required = requiredJsonBody();
  return {
    before: async (request) => {
      if (bodyBytes(request.event).length > 0) await required.before?.(request);
    },
  };
};

/**
 * An API that reads no body refuses one, as Elasticsearch's BaseRestHandler does for content its handler
 * did not consume: a client sending one has misunderstood the API, and silently ignoring it would hide that.
 */
const noBody = (): EsMiddleware => ({
  before: ({ event }) => {
    if (typeof event.body === 'string' && event.body !== '') {
      refuseOversized(bodyBytes(event));
      throw new IllegalArgumentError(`request [${event.httpMethod} ${event.path}] does not support having a body`);
    }
  },
});

/**
 * Accept and Content-Type as Elasticsearch's RestRequest reads them, before authentication as there; the
 * answer's Content-Type follows (a versioned request is answered in the versioned type).
 */
const mediaTypes = (body: EsHandlerOptions['body']): EsMiddleware => ({
  before: ({ event }) => {
    // A form's Content-Type is its API's to check (formBody); Accept is checked all the same.
    negotiateMediaTypes(event.headers, body !== 'form' && typeof event.body === 'string' && event.body !== '');
  },
});

/** A form body's parameters, each with its values in order (a Map: a parameter may be named `__proto__`). */
export type FormBody = ReadonlyMap<string, readonly string[]>;

const FORM_TYPE = 'application/x-www-form-urlencoded';

/** An OAuth 2.0 endpoint's body: form-encoded, strictly UTF-8, within the size limit (RFC 6749 §3.2, RFC 7662 §2.1). */
const formBody = (): EsMiddleware => ({
  before: ({ event, context }) => {
    const bytes = bodyBytes(event);
    refuseOversized(bytes);
    const type = (event.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (bytes.length > 0 && type !== FORM_TYPE) throw new OAuth2Error('invalid_request', `the request body must be ${FORM_TYPE}`);
    context.rawBody = decodeUtf8Body(bytes);
    const fields = new Map<string, string[]>();
    for (const [name, value] of new URLSearchParams(context.rawBody)) fields.set(name, [...(fields.get(name) ?? []), value]);
    event.body = fields satisfies FormBody;
  },
});

/** BaseRestHandler's refusal of a query parameter nobody reads, once the body has been read as there. */
const knownParameters = (known: readonly string[]): EsMiddleware => ({
  before: ({ event }) => {
    assertKnownParameters(event.path, event.queryStringParameters, known, Object.keys(event.pathParameters ?? {}));
  },
});

/**
 * The request's audit, when the trail is on. A service that cannot be built has none here: the pipeline builds
 * it again and renders why it cannot.
 */
function requestAuditOf(service: () => PipelineService, event: APIGatewayProxyEvent): RequestAudit | undefined {
  let trail: AuditTrail | undefined;
  try {
    trail = service().audit;
  } catch {
    return undefined;
  }
  return trail?.forRequest(auditedRequestOf(event));
}

/**
 * The pipeline every route shares: put the Lambda request id on every log line, count the request's
 * metrics, shape every answer (response-shape.ts), render errors, normalise headers, authenticate the caller, then read the JSON body (or refuse
 * one where the API reads none). Authentication comes first, as in Elasticsearch, so an anonymous caller
 * learns nothing from the body's validation.
 */
export function esHandler<S extends PipelineService>(
  service: () => S,
  options: EsHandlerOptions,
  run: (event: EsEvent, context: EsContext, service: S) => Promise<APIGatewayProxyResult>,
): ProxyHandler {
  const handler = middy<EsEvent, APIGatewayProxyResult, Error, EsContext>()
    .use(traceInvocations() as EsMiddleware)
    // logEvent is pinned off: the event holds the Authorization header and the body's passwords, and
    // POWERTOOLS_LOGGER_LOG_EVENT=true in a function's environment must not be able to log them.
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(correlateWithGateway())
    .use(recordMetrics())
    .use(shapeResponses())
    .use(esResponses())
    .use(normalizeRequest())
    .use(mediaTypes(options.body))
    .use(authenticateCaller(() => service().authenticator))
    .use(runAsTarget(() => service().runAs));
  handler.use({ required: requiredJsonBody, optional: optionalJsonBody, none: noBody, form: formBody }[options.body]());
  handler.use(knownParameters(options.params ?? []));
  const pipeline = handler.handler(async (event, context) => run(event, context, service()));
  const logged = withRequestLogger((event: EsEvent, context: EsContext) => pipeline(event, context));
  return async (event, context) => {
    // Set on every request, so that a context object a runner reused could never carry another request's.
    (context as EsContext).audit = requestAuditOf(service, event);
    return logged(event as EsEvent, context as EsContext);
  };
}
