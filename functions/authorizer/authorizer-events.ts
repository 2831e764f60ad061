import type {
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';

/** What API Gateway sends a Lambda authorizer: a REST API's REQUEST or TOKEN event, or an HTTP API's (payload 2.0). */
export type AuthorizerEvent =
  | APIGatewayRequestAuthorizerEvent
  | APIGatewayTokenAuthorizerEvent
  | APIGatewayRequestAuthorizerEventV2;

export const isHttpApiEvent = (event: AuthorizerEvent): event is APIGatewayRequestAuthorizerEventV2 =>
  (event as Partial<APIGatewayRequestAuthorizerEventV2>).version === '2.0';

type Headers = Readonly<Record<string, string | undefined>> | null | undefined;
type MultiValueHeaders = Readonly<Record<string, readonly string[] | undefined>> | null | undefined;

/** Header names are case-insensitive; a REST event keeps them as the client sent them. */
function valuesOf(name: string, headers: Headers, multiValue: MultiValueHeaders): readonly string[] {
  const wanted = name.toLowerCase();
  const single = Object.entries(headers ?? {}).filter(([key, value]) => key.toLowerCase() === wanted && value !== undefined);
  const multiple = Object.entries(multiValue ?? {}).filter(([key]) => key.toLowerCase() === wanted);
  if (multiple.length > 0) return multiple.flatMap(([, values]) => values ?? []);
  return single.map(([, value]) => value as string);
}

/**
 * The `Authorization` header of the request, or undefined when there is none or more than one: two
 * credentials are no credential (an HTTP API joins repeated headers with a comma, which no token holds).
 */
export function authorizationOf(event: AuthorizerEvent): string | undefined {
  if (event.type === 'TOKEN') return event.authorizationToken;
  const multiValue = isHttpApiEvent(event) ? undefined : event.multiValueHeaders;
  const values = valuesOf('authorization', event.headers, multiValue);
  return values.length === 1 ? values[0] : undefined;
}
