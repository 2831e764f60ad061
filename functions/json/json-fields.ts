import { ParseError } from '../errors';
import { assertNoDuplicateFields, tokenTypeOf } from '../request-content';
import { assertStorableJson } from './storable-json';

/**
 * Readers for the bodies of the user and role APIs, with the messages of Elasticsearch's hand-written
 * parsers for them (`PutUserRequestBuilder`, `ChangePasswordRequestBuilder`, `XContentUtils`): an
 * `ElasticsearchParseException`, rendered as `parse_exception`. No message ever quotes a value, so a
 * password sent in the wrong place is not echoed back.
 */

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `XContentUtils.verifyObject`, then what JSON.parse cannot see in `rawBody` (the body as received): a field
 * named twice in any object, which Elasticsearch's parser refuses and JSON.parse would silently resolve; then
 * what the store could not hold (assertStorableJson), before any write.
 */
export function requireObject(body: unknown, rawBody: string): JsonObject {
  if (!isJsonObject(body)) throw new ParseError(`expected an object, but found token [${tokenTypeOf(body)}]`);
  assertNoDuplicateFields(rawBody, 'nested');
  assertStorableJson(body);
  return body;
}

function wrongType(field: string, expected: string, value: unknown): ParseError {
  return new ParseError(`expected field [${field}] to be of type ${expected}, but found [${tokenTypeOf(value)}] instead`);
}

export function stringField(field: string, value: unknown): string {
  if (typeof value !== 'string') throw wrongType(field, 'string', value);
  return value;
}

/** A string that may also be `null` (`full_name`, `email`). */
export function nullableStringField(field: string, value: unknown): string | null {
  return value === null ? null : stringField(field, value);
}

export function booleanField(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw wrongType(field, 'boolean', value);
  return value;
}

export function objectField(field: string, value: unknown): JsonObject {
  if (!isJsonObject(value)) throw wrongType(field, 'object', value);
  return value;
}

/** `XContentUtils.readStringArray(parser, false)` */
export function stringArrayField(field: string, value: unknown): string[] {
  if (value === null) {
    throw new ParseError(`could not parse [${field}] field. expected a string array but found null value instead`);
  }
  if (!Array.isArray(value)) {
    throw new ParseError(
      `could not parse [${field}] field. expected a string array but found [${tokenTypeOf(value)}] value instead`,
    );
  }
  for (const item of value) {
    if (typeof item !== 'string') {
      throw new ParseError(
        `could not parse [${field}] field. expected a string array but one of the value in the array is [${tokenTypeOf(item)}]`,
      );
    }
  }
  return value as string[];
}
