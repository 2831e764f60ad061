import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import type { ApiEntry } from '../../functions/api/api-entry';
import { APIS, type ApiId } from '../../functions/api/registry';
import { MalformedRequestError, MethodNotAllowedError, NoHandlerError, RequestTooLargeError } from '../../functions/errors';
import type { ProxyHandler } from '../../functions/http/es-handler';
import { bodyTooLarge, MAX_BODY_BYTES } from '../../functions/http/limits';
import { renderError } from '../../functions/http/render-error';
import { ELASTICSEARCH_HEADERS } from '../../functions/http/responses';
import { usePasswordHashing } from '../../functions/security/authc/passwords/bcrypt';
import type { Service } from '../../functions/service';
import { type FunctionId, matchRoute } from '../routes';
import { PasswordWorkers } from './password-workers';
import { type RequestTarget, toProxyEvent } from './proxy-event';

export type { ProxyHandler };

const ROOT = path.join(__dirname, '..', '..');

type HandlerFactory = (service: () => Service) => ProxyHandler;

const isHandlerModule = (loaded: unknown): loaded is { createHandler: HandlerFactory } =>
  typeof (loaded as { createHandler?: unknown } | undefined)?.createHandler === 'function';

/**
 * An API's handler module, loaded by the path its registry entry names, as the stack bundles it: nothing but
 * the registry names a handler module, so adding an API adds no import here.
 */
function handlerFactory(api: ApiEntry): HandlerFactory {
  const loaded: unknown = require(path.join(ROOT, api.handler));
  if (!isHandlerModule(loaded)) throw new Error(`${api.handler} does not export createHandler`);
  return loaded.createHandler;
}

/** Every API of the registry, built on one service. */
export function createHandlers(service: Service): Record<ApiId, ProxyHandler> {
  const get = () => service;
  return Object.fromEntries(
    (Object.entries(APIS) as [ApiId, ApiEntry][]).map(([id, api]) => [id, handlerFactory(api)(get)]),
  ) as Record<ApiId, ProxyHandler>;
}

export function lambdaContext(functionId: FunctionId): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: functionId,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionId}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionId}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 29_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Reads the body, stopping at one byte past the limit so a huge upload costs no memory. */
async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw bodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The request target as Elasticsearch reads it: the raw path, neither decoded nor normalised (RestController
 * routes on `rawPath`), so `/x/../_security/_authenticate`, `%2e%2e` or a backslash name no API (ER-15); the
 * `uri`, path and query, is what its messages quote. `//x` or an absolute-form target is a path, not a host.
 */
export function requestTarget(rawUrl = '/'): RequestTarget {
  const uri = rawUrl.startsWith('/') ? rawUrl : `/${rawUrl}`;
  const query = uri.indexOf('?');
  return {
    uri,
    path: query < 0 ? uri : uri.slice(0, query),
    searchParams: new URLSearchParams(query < 0 ? '' : uri.slice(query + 1)),
  };
}

/**
 * ER-14: RestController answers OPTIONS itself, before any handler or authentication: 200, no body, and the
 * methods of the path in `Allow` (none for a path without an API).
 */
function optionsAnswer(match: ReturnType<typeof matchRoute>): APIGatewayProxyResult {
  const allowed = match === undefined ? [] : 'route' in match ? [match.route.method] : match.methods;
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/plain; charset=UTF-8',
      'x-elastic-product': ELASTICSEARCH_HEADERS['x-elastic-product'],
      ...(allowed.length > 0 && { Allow: allowed.join(',') }),
    },
    body: '',
  };
}

function send(response: ServerResponse, result: APIGatewayProxyResult): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) headers[name] = values.map(String);
  response.writeHead(result.statusCode, headers);
  response.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
}

export interface LocalApi {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/**
 * The local stand-in for API Gateway: routes with the shared route table and calls the same handlers
 * with the same proxy events. A route miss is answered in Elasticsearch's error shape.
 */
export async function startLocalApi(
  service: Service,
  { port = 9200, host = '127.0.0.1', passwordWorkers = true } = {},
): Promise<LocalApi> {
  const handlers = createHandlers(service);
  // bcrypt off the event loop, so password floods do not stall the other requests (password-workers.ts).
  const workers = passwordWorkers ? new PasswordWorkers() : undefined;
  if (workers) usePasswordHashing(workers);
  const closing = new WeakSet<Socket | Duplex>();
  const server = createServer(async (request, response) => {
    try {
      const target = requestTarget(request.url);
      const method = request.method ?? 'GET';
      const match = matchRoute(method, target.path);
      if (method === 'OPTIONS') return send(response, optionsAnswer(match));
      if (match === undefined) throw new NoHandlerError(`no handler found for uri [${target.uri}] and method [${method}]`);
      if (!('route' in match)) throw new MethodNotAllowedError(target.uri, method, match.methods);
      const body = await readBody(request);
      const event = toProxyEvent(request, target, body, match);
      send(response, await handlers[match.route.function](event, lambdaContext(match.route.function)));
    } catch (error) {
      // A body refused half-read leaves bytes on the connection: close it rather than parse them as a request.
      if (error instanceof RequestTooLargeError) {
        response.setHeader('connection', 'close');
        if (request.socket) closing.add(request.socket);
      }
      send(response, renderError(error));
    }
  });
  // Requests Node's parser refuses never reach the handler; answer them in the ES shape too, not Node's bare 400.
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket) => {
    // The unread rest of a refused body is not a request: its connection was already answered.
    if (!socket.writable || closing.has(socket)) return void socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const result = renderError(
      new MalformedRequestError(
        tooLarge ? 'HTTP headers are larger than the limit' : 'malformed HTTP request',
        tooLarge ? 431 : 400,
      ),
    );
    const headers = Object.entries(result.headers ?? {}).map(([name, value]) => `${name}: ${value}\r\n`);
    // An answer to HEAD has no body, even an error's.
    const body = error.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ' ? '' : result.body;
    socket.end(
      `HTTP/1.1 ${result.statusCode} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n${headers.join('')}` +
        `content-length: ${Buffer.byteLength(result.body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (workers) {
        usePasswordHashing();
        await workers.close();
      }
    },
  };
}
