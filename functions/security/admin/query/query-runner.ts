import { IllegalArgumentError } from '../../../errors';
import { fieldValues } from './document-values';
import type { QueryRequest, SortKey } from './query-request';

/**
 * Runs a query over a store, reading no more than the query needs. Where the query names the items by key (`ids`,
 * or `term`/`terms` on the name, alone or as a required clause of a `bool`), only those are read, by BatchGetItem,
 * a hundred keys a call. Anything else is a Scan of the table, bounded: at most MAX_SCANNED items are read, and a
 * table that holds more answers such a query with a 400 that says how to narrow it, so one request's cost never
 * grows past that with what other callers stored. The query itself is applied here, to each item read.
 */
export const MAX_SCANNED = 10_000;
/** More keys than this are cheaper, and no less bounded, to read by the bounded Scan. */
export const MAX_KEYS = 1_000;

export interface QuerySource<T> {
  readonly noun: string;
  readonly keyField: string;
  byKeys(keys: readonly string[]): Promise<T[]>;
  /** At most `maxItems` + 1 items: one more tells that the table holds more. */
  scan(maxItems: number): Promise<T[]>;
  /** The item as the query sees its fields. */
  view(item: T): unknown;
}

export interface QueryHit<T> {
  readonly item: T;
  readonly sort?: unknown[];
}

async function candidates<T>(request: QueryRequest, source: QuerySource<T>): Promise<T[]> {
  const keys = request.query.keys;
  if (keys !== undefined && keys.length <= MAX_KEYS) return source.byKeys(keys);
  const items = await source.scan(MAX_SCANNED);
  if (items.length > MAX_SCANNED) {
    throw new IllegalArgumentError(
      `this query would read more than [${MAX_SCANNED}] ${source.noun}: name them (an ids query, or term or terms on [${source.keyField}])`,
    );
  }
  return items;
}

/** The value a sort key orders by: the least of a field's values ascending, the greatest descending. */
function sortValue(view: unknown, key: SortKey): string | null {
  const values = fieldValues(view, key.field).sort();
  return (key.descending ? values.at(-1) : values[0]) ?? null;
}

/** Missing values last in either direction, as Elasticsearch's default `missing: _last`. */
function compare(a: readonly (string | null)[], b: readonly unknown[], keys: readonly SortKey[]): number {
  for (const [i, key] of keys.entries()) {
    const x = a[i] ?? null;
    const y = b[i] === undefined || b[i] === null ? null : String(b[i]);
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : 1) * (key.descending ? -1 : 1);
  }
  return 0;
}

export async function runQuery<T>(
  request: QueryRequest,
  source: QuerySource<T>,
): Promise<{ total: number; hits: QueryHit<T>[] }> {
  const matched = (await candidates(request, source)).filter((item) => request.query.matches(source.view(item)));
  // The key orders what the sort leaves tied, so pages are stable and search_after can resume.
  const keys: SortKey[] = [...request.sort, { field: source.keyField, descending: false }];
  const ordered = matched
    .map((item) => ({ item, values: keys.map((key) => sortValue(source.view(item), key)) }))
    .sort((a, b) => compare(a.values, b.values, keys));
  const after = request.searchAfter;
  const resumed = after === undefined ? ordered : ordered.filter(({ values }) => compare(values, after, request.sort) > 0);
  const page = resumed.slice(request.from, request.from + request.size);
  return {
    total: matched.length,
    hits: page.map(({ item, values }) =>
      request.sort.length > 0 ? { item, sort: values.slice(0, request.sort.length) } : { item },
    ),
  };
}
