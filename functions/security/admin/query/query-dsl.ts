import { IllegalArgumentError, ParsingError } from '../../../errors';
import { isJsonObject } from '../../../json/json-fields';
import {
  type CompiledQuery,
  existsQuery,
  idsQuery,
  matchQuery,
  prefixQuery,
  rangeQuery,
  simpleQueryString,
  termQuery,
  termsQuery,
  wildcardQuery,
} from './leaf-queries';
import type { QueryFields } from './query-fields';

/**
 * The query DSL the user and role query APIs accept (UserBoolQueryBuilder, RoleBoolQueryBuilder and their
 * FieldNameTranslators): these query types over the allowed fields, compiled to a predicate on one item and, where
 * a key serves, the keys to read. Any other query type Elasticsearch knows is refused as it refuses it here.
 */

/** `indices.query.bool.max_nested_depth`: deeper `bool`s are refused before they are read further. */
export const MAX_NESTED_DEPTH = 30;

type LeafParser = (fields: QueryFields, body: unknown) => CompiledQuery;

const LEAVES: ReadonlyMap<string, LeafParser> = new Map([
  ['term', termQuery],
  ['terms', termsQuery],
  ['ids', idsQuery],
  ['prefix', prefixQuery],
  ['wildcard', wildcardQuery],
  ['exists', existsQuery],
  ['range', rangeQuery],
  ['match', matchQuery],
  ['simple_query_string', simpleQueryString],
]);

/** Query types of Elasticsearch that these APIs refuse ("not currently supported in this context"). */
const REFUSED = new Set(
  'match_none match_phrase match_phrase_prefix match_bool_prefix multi_match combined_fields query_string fuzzy regexp nested has_child has_parent parent_id script script_score function_score constant_score dis_max boosting geo_bounding_box geo_distance geo_shape geo_grid shape more_like_this terms_set intervals span_term span_or span_near span_not span_first span_containing span_within span_multi field_masking_span knn pinned rank_feature distance_feature wrapper percolate semantic sparse_vector text_expansion weighted_tokens rule'.split(
    ' ',
  ),
);

export const MATCH_ALL: CompiledQuery = { matches: () => true };

export function compileQuery(fields: QueryFields, query: unknown, depth = 0): CompiledQuery {
  if (!isJsonObject(query)) throw new ParsingError('[_na] query malformed, must start with start_object');
  const entries = Object.entries(query);
  if (entries.length !== 1) {
    if (entries.length === 0) throw new ParsingError('query malformed, empty clause found');
    throw new ParsingError(`[${entries[0]?.[0]}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`);
  }
  const [type, body] = entries[0] as [string, unknown];
  if (type === 'bool') return boolQuery(fields, body, depth + 1);
  if (type === 'match_all') return MATCH_ALL;
  const leaf = LEAVES.get(type);
  if (leaf !== undefined) return leaf(fields, body);
  if (REFUSED.has(type)) throw new IllegalArgumentError(`Query type [${type}] is not currently supported in this context`);
  throw new ParsingError(`unknown query [${type}]`);
}

const CLAUSES = ['must', 'filter', 'should', 'must_not'] as const;

function boolQuery(fields: QueryFields, body: unknown, depth: number): CompiledQuery {
  if (depth > MAX_NESTED_DEPTH) {
    throw new IllegalArgumentError(
      `The nested depth of the query exceeds the maximum nested depth for queries set in [indices.query.bool.max_nested_depth]`,
    );
  }
  if (!isJsonObject(body)) throw new ParsingError('[bool] query malformed, no start_object after query name');
  const clauses: Record<(typeof CLAUSES)[number], CompiledQuery[]> = { must: [], filter: [], should: [], must_not: [] };
  for (const [key, value] of Object.entries(body)) {
    const clause = CLAUSES.find((name) => name === key);
    if (clause !== undefined) {
      for (const query of Array.isArray(value) ? value : [value]) clauses[clause].push(compileQuery(fields, query, depth));
    } else if (!['minimum_should_match', 'boost', '_name', 'adjust_pure_negative'].includes(key)) {
      throw new ParsingError(`[bool] query does not support [${key}]`);
    }
  }
  const required = [...clauses.must, ...clauses.filter];
  const minimum = minimumShouldMatch(body.minimum_should_match, clauses.should.length, required.length === 0);
  const matches = (item: unknown) =>
    required.every((q) => q.matches(item)) &&
    !clauses.must_not.some((q) => q.matches(item)) &&
    clauses.should.filter((q) => q.matches(item)).length >= minimum;
  // A required clause read by key bounds every match: the other clauses are checked on what it reads.
  const keyed = required.find((q) => q.keys !== undefined);
  return keyed?.keys === undefined ? { matches } : { matches, keys: keyed.keys };
}

/** Elasticsearch's default: one `should` must match when nothing else is required, none otherwise. */
function minimumShouldMatch(raw: unknown, shoulds: number, onlyShould: boolean): number {
  if (raw === undefined || raw === null) return onlyShould && shoulds > 0 ? 1 : 0;
  const text = String(raw).trim();
  const percent = text.endsWith('%');
  const number = Number.parseInt(percent ? text.slice(0, -1) : text, 10);
  if (Number.isNaN(number)) throw new IllegalArgumentError(`Invalid minimum_should_match value [${text}]`);
  const count = percent ? Math.trunc((shoulds * number) / 100) : number;
  const resolved = count < 0 ? shoulds + count : count;
  // More than there are `should` clauses matches nothing, as in Lucene.
  return Math.max(0, resolved);
}
