import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { RouteMatch } from '../routes';

/** A request's target as the local API reads it (server.ts). */
export interface RequestTarget {
  /** Path and query, as received. */
  readonly uri: string;
  /** The raw path: neither percent-decoded nor normalised. */
  readonly path: string;
  readonly searchParams: URLSearchParams;
}

/**
 * Turns a local HTTP request into the API Gateway REST proxy event the deployed function receives
 * (version 1.0 payload: header names as sent, single- and multi-value maps, `resource` as the template).
 */
export function toProxyEvent(
  request: IncomingMessage,
  url: RequestTarget,
  body: Buffer,
  match: RouteMatch,
): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i] as string;
    const value = request.rawHeaders[i + 1] as string;
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    multiQuery[name] = [...(multiQuery[name] ?? []), value];
  }
  const hasQuery = Object.keys(query).length > 0;
  const hasParameters = Object.keys(match.pathParameters).length > 0;
  const now = new Date();
  return {
    resource: match.route.path,
    path: url.path,
    httpMethod: match.route.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: hasParameters ? match.pathParameters : null,
    stageVariables: null,
    // As API Gateway passes bodies under the stack's binary media types (every type): base64, undecoded.
    body: body.length > 0 ? body.toString('base64') : null,
    isBase64Encoded: body.length > 0,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      authorizer: null,
      protocol: `HTTP/${request.httpVersion}`,
      httpMethod: match.route.method,
      identity: {
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: request.headers['user-agent'] ?? null,
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        user: null,
        userArn: null,
      },
      path: url.path,
      stage: 'local',
      requestId: randomUUID(),
      requestTimeEpoch: now.getTime(),
      resourceId: 'local',
      resourcePath: match.route.path,
    },
  };
}
