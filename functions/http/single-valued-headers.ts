import type { APIGatewayProxyEvent } from 'aws-lambda';
import { IllegalArgumentError, MediaTypeHeaderError } from '../errors';

/**
 * The headers Elasticsearch's security registers as single-valued (its `RestHeaderDefinition`s), by the
 * name it quotes. RestController refuses a request that gives one of them distinct values: otherwise two
 * `Authorization` headers would mean whichever one this layer happened to keep.
 */
const SINGLE_VALUED = ['Authorization', 'es-security-runas-user'] as const;

/**
 * API Gateway's `headers` keeps one value a name (the last), and its `multiValueHeaders` all of them, under
 * the names as sent (`Authorization` and `authorization` apart): every value is read here, whatever its case.
 */
function valuesByName(event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>): Map<string, string[]> {
  const values = new Map<string, string[]>();
  const multi = event.multiValueHeaders ?? {};
  const source =
    Object.keys(multi).length > 0 ? multi : Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k, [v]]));
  for (const [name, list] of Object.entries(source)) {
    const key = name.toLowerCase();
    for (const value of list ?? []) if (value !== undefined) values.set(key, [...(values.get(key) ?? []), value]);
  }
  return values;
}

/** `RestController.copyRestHeaders` and, for Content-Type, `RestRequest.parseContentType`. */
export function assertSingleValuedHeaders(event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>): void {
  const values = valuesByName(event);
  for (const name of SINGLE_VALUED) {
    if (new Set(values.get(name.toLowerCase())).size > 1) {
      throw new IllegalArgumentError(`multiple values for single-valued header [${name}].`);
    }
  }
  // Content-Type is refused even when both values are the same: Elasticsearch counts them, not distinct ones.
  if ((values.get('content-type') ?? []).length > 1) {
    throw new MediaTypeHeaderError(['Content-Type'], {
      type: 'illegal_argument_exception',
      reason: 'Incorrect header [Content-Type]. Only one value should be provided',
    });
  }
}
