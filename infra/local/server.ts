import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { MalformedRequestError, MethodNotAllowedError, NoHandlerError, RequestTooLargeError } from '../../functions/errors';
import { createAuthenticateHandler } from '../../functions/handlers/authenticate';
import { createChangePasswordHandler } from '../../functions/handlers/change-password';
import { createDeleteRoleHandler } from '../../functions/handlers/delete-role';
import { createDeleteRoleMappingHandler } from '../../functions/handlers/delete-role-mapping';
import { createDeleteUserHandler } from '../../functions/handlers/delete-user';
import { createGetRoleMappingsHandler } from '../../functions/handlers/get-role-mappings';
import { createGetRolesHandler } from '../../functions/handlers/get-roles';
import { createGetTokenHandler } from '../../functions/handlers/get-token';
import { createGetUsersHandler } from '../../functions/handlers/get-users';
import { createInfoHandler } from '../../functions/handlers/info';
import { createInvalidateTokenHandler } from '../../functions/handlers/invalidate-token';
import { createOidcAuthenticateHandler } from '../../functions/handlers/oidc-authenticate';
import { createOidcLogoutHandler } from '../../functions/handlers/oidc-logout';
import { createOidcPrepareHandler } from '../../functions/handlers/oidc-prepare';
import { createPutRoleHandler } from '../../functions/handlers/put-role';
import { createPutRoleMappingHandler } from '../../functions/handlers/put-role-mapping';
import { createPutUserHandler } from '../../functions/handlers/put-user';
import { createSamlAuthenticateHandler } from '../../functions/handlers/saml-authenticate';
import { createSamlCompleteLogoutHandler } from '../../functions/handlers/saml-complete-logout';
import { createSamlInvalidateHandler } from '../../functions/handlers/saml-invalidate';
import { createSamlLogoutHandler } from '../../functions/handlers/saml-logout';
import { createSamlMetadataHandler } from '../../functions/handlers/saml-metadata';
import { createSamlPrepareHandler } from '../../functions/handlers/saml-prepare';
import { createSetUserEnabledHandler } from '../../functions/handlers/set-user-enabled';
import { MAX_BODY_BYTES } from '../../functions/http/es-handler';
import { renderError } from '../../functions/http/render-error';
import { usePasswordHashing } from '../../functions/security/bcrypt';
import type { Service } from '../../functions/service';
import { type FunctionId, matchRoute } from '../routes';
import { PasswordWorkers } from './password-workers';
import { toProxyEvent } from './proxy-event';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Every function of the route table, built on one service; the Record type makes a missing one a compile error. */
export function createHandlers(service: Service): Record<FunctionId, ProxyHandler> {
  const get = () => service;
  // The handlers type their context as the pipeline's EsContext, which the pipeline itself fills in.
  return {
    getToken: createGetTokenHandler(get) as unknown as ProxyHandler,
    authenticate: createAuthenticateHandler(get) as unknown as ProxyHandler,
    invalidateToken: createInvalidateTokenHandler(get) as unknown as ProxyHandler,
    putUser: createPutUserHandler(get) as unknown as ProxyHandler,
    getUsers: createGetUsersHandler(get) as unknown as ProxyHandler,
    deleteUser: createDeleteUserHandler(get) as unknown as ProxyHandler,
    changePassword: createChangePasswordHandler(get) as unknown as ProxyHandler,
    setUserEnabled: createSetUserEnabledHandler(get) as unknown as ProxyHandler,
    putRole: createPutRoleHandler(get) as unknown as ProxyHandler,
    getRoles: createGetRolesHandler(get) as unknown as ProxyHandler,
    deleteRole: createDeleteRoleHandler(get) as unknown as ProxyHandler,
    putRoleMapping: createPutRoleMappingHandler(get) as unknown as ProxyHandler,
    getRoleMappings: createGetRoleMappingsHandler(get) as unknown as ProxyHandler,
    deleteRoleMapping: createDeleteRoleMappingHandler(get) as unknown as ProxyHandler,
    oidcPrepare: createOidcPrepareHandler(get) as unknown as ProxyHandler,
    oidcAuthenticate: createOidcAuthenticateHandler(get) as unknown as ProxyHandler,
    oidcLogout: createOidcLogoutHandler(get) as unknown as ProxyHandler,
    samlPrepare: createSamlPrepareHandler(get) as unknown as ProxyHandler,
    samlAuthenticate: createSamlAuthenticateHandler(get) as unknown as ProxyHandler,
    samlLogout: createSamlLogoutHandler(get) as unknown as ProxyHandler,
    samlInvalidate: createSamlInvalidateHandler(get) as unknown as ProxyHandler,
    samlCompleteLogout: createSamlCompleteLogoutHandler(get) as unknown as ProxyHandler,
    samlMetadata: createSamlMetadataHandler(get) as unknown as ProxyHandler,
    info: createInfoHandler(get) as unknown as ProxyHandler,
  };
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
    if (size > MAX_BODY_BYTES)
      throw new RequestTooLargeError(`request body is larger than the limit of [${MAX_BODY_BYTES}] bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
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
      // Only the path and query matter; `//x` or an absolute-form target must not be read as a host.
      const url = new URL(`http://localhost${(request.url ?? '/').startsWith('/') ? request.url : `/${request.url}`}`);
      const method = request.method ?? 'GET';
      const match = matchRoute(method, url.pathname);
      if (match === undefined) throw new NoHandlerError(`no handler found for uri [${url.pathname}] and method [${method}]`);
      if (!('route' in match)) {
        throw new MethodNotAllowedError(
          `Incorrect HTTP method for uri [${url.pathname}] and method [${method}], allowed: [${match.methods.join(', ')}]`,
        );
      }
      const body = await readBody(request);
      const event = toProxyEvent(request, url, body, match);
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
