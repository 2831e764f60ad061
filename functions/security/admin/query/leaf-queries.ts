import { IllegalArgumentError, ParsingError } from '../../../errors';
import { isJsonObject, type JsonObject } from '../../../json/json-fields';
import { wildcardAutomaton } from '../../authz/patterns/automatons';
import { fieldValues, tokens } from './document-values';
import { fieldsMatching, isTextField, type QueryFields, queryField } from './query-fields';

/** A query compiled: whether an item matches, and the keys that can hold every match when a key read serves. */
export interface CompiledQuery {
  readonly matches: (item: unknown) => boolean;
  readonly keys?: readonly string[];
}

type Scalar = string | number | boolean;
const isScalar = (value: unknown): value is Scalar => ['string', 'number', 'boolean'].includes(typeof value);

/** Elasticsearch's limit on one `terms` query (`index.max_terms_count`). */
const MAX_TERMS = 65_536;

/** `{"field": value}` or `{"field": {"value": v, ...options}}`: the one field of a term-level query. */
function singleField(
  type: string,
  body: unknown,
  valueKeys: readonly string[],
): { field: string; value: unknown; options: JsonObject } {
  if (!isJsonObject(body)) throw new ParsingError(`[${type}] query malformed, no start_object after query name`);
  const entries = Object.entries(body).filter(([key]) => key !== 'boost' && key !== '_name');
  if (entries.length !== 1) {
    const names = entries.map(([key]) => key);
    throw new ParsingError(`[${type}] query doesn't support multiple fields, found [${names[0]}] and [${names[1]}]`);
  }
  const [field, raw] = entries[0] as [string, unknown];
  if (!isJsonObject(raw)) return { field, value: raw, options: {} };
  const valueKey = valueKeys.find((key) => key in raw);
  for (const key of Object.keys(raw)) {
    if (![...valueKeys, 'case_insensitive', 'boost', '_name', 'rewrite', 'operator', 'analyzer'].includes(key)) {
      throw new ParsingError(`[${type}] query does not support [${key}]`);
    }
  }
  return { field, value: valueKey === undefined ? undefined : raw[valueKey], options: raw };
}

function scalarOf(type: string, value: unknown): string {
  if (!isScalar(value))
    throw new ParsingError(`[${type}] query requires a value; found [${value === undefined ? 'none' : typeof value}]`);
  return String(value);
}

const folded = (insensitive: boolean) => (value: string) => (insensitive ? value.toLowerCase() : value);

/** Values of the field as the query compares them: a text field's tokens, a keyword field's whole values. */
function comparedValues(fields: QueryFields, field: string, item: unknown): string[] {
  const values = fieldValues(item, field);
  return isTextField(fields, field) ? values.flatMap(tokens) : values;
}

export function termQuery(fields: QueryFields, body: unknown): CompiledQuery {
  const { field, value, options } = singleField('term', body, ['value']);
  const name = queryField(fields, field);
  return anyOf(fields, name, [scalarOf('term', value)], options.case_insensitive === true);
}

export function termsQuery(fields: QueryFields, body: unknown): CompiledQuery {
  if (!isJsonObject(body)) throw new ParsingError('[terms] query malformed, no start_object after query name');
  const entries = Object.entries(body).filter(([key]) => key !== 'boost' && key !== '_name');
  if (entries.length !== 1) throw new ParsingError('[terms] query does not support multiple fields');
  const [field, values] = entries[0] as [string, unknown];
  if (isJsonObject(values))
    throw new IllegalArgumentError('terms query with terms lookup is not currently supported in this context');
  if (!Array.isArray(values) || !values.every(isScalar)) throw new ParsingError(`[terms] query does not support [${field}]`);
  if (values.length > MAX_TERMS) {
    throw new IllegalArgumentError(
      `The number of terms [${values.length}] used in the Terms Query request has exceeded the allowed maximum of [${MAX_TERMS}]. This maximum can be set by changing the [index.max_terms_count] index level setting.`,
    );
  }
  return anyOf(fields, queryField(fields, field), values.map(String), false);
}

function anyOf(fields: QueryFields, field: string, wanted: readonly string[], insensitive: boolean): CompiledQuery {
  const fold = folded(insensitive);
  const set = new Set(wanted.map(fold));
  const matches = (item: unknown) => comparedValues(fields, field, item).some((value) => set.has(fold(value)));
  return field === fields.key && !insensitive ? { matches, keys: [...new Set(wanted)] } : { matches };
}

export function idsQuery(fields: QueryFields, body: unknown): CompiledQuery {
  if (!isJsonObject(body)) throw new ParsingError('[ids] query malformed, no start_object after query name');
  for (const key of Object.keys(body))
    if (!['values', 'boost', '_name'].includes(key)) throw new ParsingError(`[ids] query does not support [${key}]`);
  const values = body.values ?? [];
  if (!Array.isArray(values) || !values.every((value) => typeof value === 'string'))
    throw new ParsingError('[ids] query does not support [values]');
  return anyOf(fields, fields.key, values, false);
}

export function prefixQuery(fields: QueryFields, body: unknown): CompiledQuery {
  const { field, value, options } = singleField('prefix', body, ['value', 'prefix']);
  const name = queryField(fields, field);
  const fold = folded(options.case_insensitive === true);
  const prefix = fold(scalarOf('prefix', value));
  return { matches: (item) => comparedValues(fields, name, item).some((v) => fold(v).startsWith(prefix)) };
}

/** Matched by the linear automaton (patterns/automaton.ts): a pattern from the request never reaches a RegExp. */
export function wildcardQuery(fields: QueryFields, body: unknown): CompiledQuery {
  const { field, value, options } = singleField('wildcard', body, ['value', 'wildcard']);
  const name = queryField(fields, field);
  const fold = folded(options.case_insensitive === true);
  const automaton = wildcardAutomaton(fold(scalarOf('wildcard', value)));
  return { matches: (item) => comparedValues(fields, name, item).some((v) => automaton.matches(fold(v))) };
}

export function existsQuery(fields: QueryFields, body: unknown): CompiledQuery {
  if (!isJsonObject(body) || typeof body.field !== 'string') throw new ParsingError('[exists] must be provided with a [field]');
  const name = queryField(fields, body.field);
  return { matches: (item) => fieldValues(item, name).length > 0 };
}

const RANGE_KEYS = [
  'gt',
  'gte',
  'lt',
  'lte',
  'from',
  'to',
  'include_lower',
  'include_upper',
  'format',
  'time_zone',
  'boost',
  '_name',
];

/** Compared as Elasticsearch compares keyword terms: by their text (these fields hold no numbers or dates). */
export function rangeQuery(fields: QueryFields, body: unknown): CompiledQuery {
  if (!isJsonObject(body) || Object.keys(body).length !== 1)
    throw new ParsingError('[range] query malformed, no start_object after query name');
  const [field, raw] = Object.entries(body)[0] as [string, unknown];
  if (!isJsonObject(raw)) throw new ParsingError(`[range] query malformed, no start_object after query name`);
  if ('relation' in raw) throw new IllegalArgumentError('range query with relation is not currently supported in this context');
  for (const key of Object.keys(raw))
    if (!RANGE_KEYS.includes(key)) throw new ParsingError(`[range] query does not support [${key}]`);
  const name = queryField(fields, field);
  const bound = (key: string) => (raw[key] === undefined || raw[key] === null ? undefined : scalarOf('range', raw[key]));
  const lower = bound('gt') ?? bound('gte') ?? bound('from');
  const upper = bound('lt') ?? bound('lte') ?? bound('to');
  const lowerInclusive = raw.gt === undefined && raw.include_lower !== false;
  const upperInclusive = raw.lt === undefined && raw.include_upper !== false;
  const within = (value: string) =>
    (lower === undefined || value > lower || (lowerInclusive && value === lower)) &&
    (upper === undefined || value < upper || (upperInclusive && value === upper));
  return { matches: (item) => fieldValues(item, name).some(within) };
}

/** `match`: a text field matches on its tokens (any, or all with `"operator": "and"`); a keyword field on its value. */
export function matchQuery(fields: QueryFields, body: unknown): CompiledQuery {
  const { field, value, options } = singleField('match', body, ['query']);
  const name = queryField(fields, field);
  const text = scalarOf('match', value);
  if (!isTextField(fields, name)) return anyOf(fields, name, [text], false);
  const wanted = tokens(text);
  const all = typeof options.operator === 'string' && options.operator.toLowerCase() === 'and';
  return {
    matches: (item) => {
      const held = new Set(comparedValues(fields, name, item));
      return wanted.length > 0 && (all ? wanted.every((t) => held.has(t)) : wanted.some((t) => held.has(t)));
    },
  };
}

/**
 * `simple_query_string`, its common part: whitespace-separated terms, `-term` to exclude, `term*` for a prefix,
 * `default_operator`, over the allowed fields its `fields` patterns name (all of them without any); a query that
 * names only fields it may not see matches nothing, as Elasticsearch's translation makes it.
 */
export function simpleQueryString(fields: QueryFields, body: unknown): CompiledQuery {
  if (!isJsonObject(body) || typeof body.query !== 'string') throw new ParsingError('[simple_query_string] requires [query]');
  const patterns = Array.isArray(body.fields) ? body.fields.filter((f): f is string => typeof f === 'string') : ['*'];
  const names = [
    ...new Set(patterns.flatMap((p) => fieldsMatching(fields, p, (n) => wildcardAutomaton(p.replace(/\^.*$/, '')).matches(n)))),
  ];
  if (names.length === 0) return { matches: () => false };
  const all = typeof body.default_operator === 'string' && body.default_operator.toLowerCase() === 'and';
  const terms = body.query.split(/\s+/).filter((term) => term !== '' && term !== '+' && term !== '-');
  const clause = (term: string) => {
    const negated = term.startsWith('-');
    const word = term.replace(/^[+-]/, '').toLowerCase();
    const prefix = word.endsWith('*');
    const stem = prefix ? word.slice(0, -1) : word;
    const hit = (item: unknown) =>
      names.some((name) => {
        const values = isTextField(fields, name)
          ? fieldValues(item, name).flatMap(tokens)
          : fieldValues(item, name).map((v) => v.toLowerCase());
        return values.some((v) => (prefix ? v.startsWith(stem) : v === stem));
      });
    return negated ? (item: unknown) => !hit(item) : hit;
  };
  const clauses = terms.map(clause);
  return { matches: (item) => clauses.length > 0 && (all ? clauses.every((c) => c(item)) : clauses.some((c) => c(item))) };
}
