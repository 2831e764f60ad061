import { ActionRequestValidationError, ContentParseError, IllegalArgumentError } from '../../../errors';
import { isJsonObject, requireObject } from '../../../json/json-fields';
import { positionOf, tokenTypeOf } from '../../../request-content';
import type { CompiledQuery } from './leaf-queries';
import { compileQuery, MATCH_ALL } from './query-dsl';
import { type QueryFields, sortField } from './query-fields';

/** `index.max_result_window`: `from + size` may not go past it. */
const MAX_RESULT_WINDOW = 10_000;
const DEFAULT_SIZE = 10;

export interface SortKey {
  readonly field: string;
  readonly descending: boolean;
}

/** A query request (QueryUserRequest, QueryRoleRequest) read and validated. */
export interface QueryRequest {
  readonly query: CompiledQuery;
  readonly from: number;
  readonly size: number;
  readonly sort: readonly SortKey[];
  readonly searchAfter?: readonly unknown[];
}

const FIELDS = ['query', 'from', 'size', 'sort', 'search_after'];

/** The body of `POST|GET /_security/_query/{user|role}` (absent: every item, ten at a time). */
export function parseQueryRequest(parser: string, fields: QueryFields, body: unknown, rawBody: string): QueryRequest {
  if (rawBody === '') return { query: MATCH_ALL, from: 0, size: DEFAULT_SIZE, sort: [] };
  const source = requireObject(body, rawBody);
  for (const field of Object.keys(source)) {
    if (!FIELDS.includes(field))
      throw new ContentParseError(`${positionOf(rawBody, field)} [${parser}] unknown field [${field}]`);
  }
  const integer = (field: string, fallback: number) => {
    const value = source[field] ?? fallback;
    if (!Number.isInteger(value)) {
      throw new ContentParseError(
        `${positionOf(rawBody, field)} [${parser}] ${field} doesn't support values of type: ${tokenTypeOf(value)}`,
      );
    }
    return value as number;
  };
  const from = integer('from', 0);
  const size = integer('size', DEFAULT_SIZE);
  const messages: string[] = [];
  if (from < 0) messages.push(`[from] parameter cannot be negative but was [${from}]`);
  if (size < 0) messages.push(`[size] parameter cannot be negative but was [${size}]`);
  if (messages.length > 0) throw new ActionRequestValidationError(messages);
  if (from + size > MAX_RESULT_WINDOW) {
    throw new IllegalArgumentError(
      `Result window is too large, from + size must be less than or equal to: [${MAX_RESULT_WINDOW}] but was [${from + size}]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.`,
    );
  }
  const searchAfter = source.search_after;
  if (searchAfter !== undefined && !Array.isArray(searchAfter))
    throw new ContentParseError(`[${parser}] search_after must be an array`);
  return {
    query: source.query === undefined ? MATCH_ALL : compileQuery(fields, source.query),
    from,
    size,
    sort: parseSort(fields, source.sort),
    ...(searchAfter !== undefined && { searchAfter }),
  };
}

/** `"sort": "f"`, `["f", {"g": "desc"}, {"h": {"order": "asc"}}]`; `_doc` is the store's order, so nothing. */
function parseSort(fields: QueryFields, raw: unknown): SortKey[] {
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]).flatMap((entry): SortKey[] => {
    if (typeof entry === 'string') return entry === '_doc' ? [] : [{ field: sortField(fields, entry), descending: false }];
    if (!isJsonObject(entry) || Object.keys(entry).length !== 1)
      throw new IllegalArgumentError('malformed sort format, within the sort array, an object, or an array of objects');
    const [name, spec] = Object.entries(entry)[0] as [string, unknown];
    const order = isJsonObject(spec) ? spec.order : spec;
    if (order !== undefined && order !== 'asc' && order !== 'desc')
      throw new IllegalArgumentError(`Unknown SortOrder [${String(order)}]`);
    if (isJsonObject(spec) && spec.nested !== undefined)
      throw new IllegalArgumentError('nested sorting is not currently supported in this context');
    return name === '_doc' ? [] : [{ field: sortField(fields, name), descending: order === 'desc' }];
  });
}
