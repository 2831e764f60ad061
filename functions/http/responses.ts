import type { APIGatewayProxyResult } from 'aws-lambda';

/**
 * ER-1, ER-2: JSON, and the product header without which the official client refuses a 2xx answer.
 * Errors carry it too, as Elasticsearch's do.
 */
export const ELASTICSEARCH_HEADERS = {
  'content-type': 'application/json',
  'x-elastic-product': 'Elasticsearch',
} as const;

export function jsonResponse(
  statusCode: number,
  body: unknown,
  multiValueHeaders?: Record<string, string[]>,
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { ...ELASTICSEARCH_HEADERS },
    ...(multiValueHeaders !== undefined && { multiValueHeaders }),
    body: JSON.stringify(body),
  };
}
