import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { toProxyEvent } from '../../infra/local/proxy-event';
import { lambdaContext, type ProxyHandler, requestTarget } from '../../infra/local/server';
import { type FunctionId, matchRoute, type RouteMatch } from '../../infra/routes';

export { createHandlers, type ProxyHandler } from '../../infra/local/server';

export interface Request {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly authorization: string;
  readonly body?: unknown;
  /** Further headers (the run-as header). */
  readonly headers?: Readonly<Record<string, string>>;
}

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

export function bearer(token: string): string {
  return `Bearer ${token}`;
}

/**
 * The API Gateway REST proxy event of a request, built by the same code the local API uses for a real
 * HTTP request (so the event has the deployed shape: header spellings, multi-value maps, request context).
 */
export function proxyEvent(request: Request): { event: APIGatewayProxyEvent; functionId: FunctionId } {
  const url = new URL(request.path, 'http://localhost');
  const match = matchRoute(request.method, url.pathname);
  if (match === undefined || !('route' in match)) throw new Error(`no route for ${request.method} ${request.path}`);
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(request.body));
  const rawHeaders = [
    'Host',
    'localhost',
    'User-Agent',
    'es-token-service-bench',
    'Authorization',
    request.authorization,
    ...(body.length > 0 ? ['Content-Type', 'application/json', 'Content-Length', String(body.length)] : []),
    ...Object.entries(request.headers ?? {}).flat(),
  ];
  const incoming = {
    rawHeaders,
    httpVersion: '1.1',
    headers: { 'user-agent': 'es-token-service-bench' },
    socket: { remoteAddress: '127.0.0.1' },
  } as unknown as IncomingMessage;
  const event = toProxyEvent(incoming, requestTarget(request.path), body, match as RouteMatch);
  return { event, functionId: match.route.function };
}

class UnexpectedResponseError extends Error {
  constructor(request: Request, result: APIGatewayProxyResult) {
    // The error type only: a response body may hold tokens, and nothing here prints one.
    let type = '';
    try {
      const parsed = JSON.parse(result.body) as { error?: { type?: string } | string };
      type = typeof parsed.error === 'string' ? parsed.error : (parsed.error?.type ?? '');
    } catch {
      // not JSON
    }
    super(`${request.method} ${request.path} answered ${result.statusCode}${type && ` (${type})`}`);
    this.name = 'UnexpectedResponseError';
  }
}

/**
 * Invokes the function of the route with a fresh event, as API Gateway would. Anything but the expected
 * status is an error: a benchmark must not measure failures by accident.
 */
export async function invoke(
  handlers: Record<FunctionId, ProxyHandler>,
  request: Request,
  expectedStatus = 200,
): Promise<APIGatewayProxyResult> {
  const { event, functionId } = proxyEvent(request);
  const result = await handlers[functionId](event, lambdaContext(functionId));
  if (result.statusCode !== expectedStatus) throw new UnexpectedResponseError(request, result);
  return result;
}
