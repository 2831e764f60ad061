import type {
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';

/**
 * Authorizer events as API Gateway sends them (the shapes of the API Gateway developer guide's examples):
 * a REST API's REQUEST authorizer, its TOKEN authorizer, and an HTTP API's payload format 2.0.
 */

export const METHOD_ARN = 'arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/GET/orders/42';
const ROUTE_ARN = 'arn:aws:execute-api:us-east-1:123456789012:abcdef1234/$default/GET/orders/42';

type HeaderSet = Record<string, string | readonly string[]>;

/** A REST API's REQUEST event; a header given as a list arrives repeated (multiValueHeaders). */
export function restRequestEvent(headers: HeaderSet = {}): APIGatewayRequestAuthorizerEvent {
  const single = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, typeof value === 'string' ? value : value[value.length - 1]]),
  );
  const multiple = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, typeof value === 'string' ? [value] : [...value]]),
  );
  return {
    type: 'REQUEST',
    methodArn: METHOD_ARN,
    resource: '/orders/{id}',
    path: '/orders/42',
    httpMethod: 'GET',
    headers: { Host: 'abcdef1234.execute-api.us-east-1.amazonaws.com', 'User-Agent': 'curl/8.5.0', ...single },
    multiValueHeaders: { Host: ['abcdef1234.execute-api.us-east-1.amazonaws.com'], 'User-Agent': ['curl/8.5.0'], ...multiple },
    pathParameters: { id: '42' },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      httpMethod: 'GET',
      identity: { sourceIp: '203.0.113.7', userAgent: 'curl/8.5.0' },
      path: '/prod/orders/42',
      protocol: 'HTTP/1.1',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTimeEpoch: 1_700_000_000_000,
      resourceId: 'a1b2c3',
      resourcePath: '/orders/{id}',
      stage: 'prod',
    } as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}

export function restTokenEvent(authorizationToken: string): APIGatewayTokenAuthorizerEvent {
  return { type: 'TOKEN', methodArn: METHOD_ARN, authorizationToken };
}

/** An HTTP API's payload 2.0 event: header names in lower case, repeated values joined with a comma. */
export function httpApiEvent(headers: Record<string, string> = {}): APIGatewayRequestAuthorizerEventV2 {
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: ROUTE_ARN,
    identitySource: lower.authorization === undefined ? [] : [lower.authorization],
    routeKey: 'GET /orders/{id}',
    rawPath: '/orders/42',
    rawQueryString: '',
    cookies: [],
    headers: { host: 'abcdef1234.execute-api.us-east-1.amazonaws.com', 'user-agent': 'curl/8.5.0', ...lower },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      domainName: 'abcdef1234.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abcdef1234',
      http: { method: 'GET', path: '/orders/42', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'curl/8.5.0' },
      requestId: 'id-1',
      routeKey: 'GET /orders/{id}',
      stage: '$default',
      time: '07/Dec/2026:18:00:00 +0000',
      timeEpoch: 1_700_000_000_000,
    },
    pathParameters: { id: '42' },
  };
}
