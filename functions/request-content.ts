import { ContentParseError } from './errors';

/*
 * How Elasticsearch reads the JSON content of a request (its XContent parsers): type names, `[line:column]`
 * positions, duplicate fields, string-only bodies. Shared by the token, user and role requests; it knows
 * nothing of HTTP, so the domain can depend on it.
 */

/** The JSON type names Elasticsearch's parser uses in its messages (ER-7). */
export function tokenTypeOf(value: unknown): string {
  if (value === null) return 'VALUE_NULL';
  if (Array.isArray(value)) return 'START_ARRAY';
  switch (typeof value) {
    case 'number':
      return 'VALUE_NUMBER';
    case 'boolean':
      return 'VALUE_BOOLEAN';
    case 'object':
      return 'START_OBJECT';
    default:
      return 'VALUE_STRING';
  }
}

/**
 * Where a field name stands in the raw body, as Elasticsearch's `[line:column]` prefix.
 * Approximate by the contract (ER-6); [1:1] when the name cannot be found verbatim (escaped).
 */
export function positionOf(rawBody: string, field: string): string {
  const at = rawBody.indexOf(JSON.stringify(field));
  if (at < 0) return '[1:1]';
  const before = rawBody.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n') + JSON.stringify(field).length;
  return `[${line}:${column}]`;
}

interface FieldName {
  readonly key: string;
  /** Offset of the name's opening quote. */
  readonly at: number;
  /** Which object of the body the name belongs to (objects numbered as they open). */
  readonly object: number;
  /** 1 for the fields of the outermost value, 2 for those one level down, ... */
  readonly depth: number;
}

/** The field names of every object of a body that is already known to be valid JSON. */
function fieldNames(rawBody: string): FieldName[] {
  const names: FieldName[] = [];
  // The values being read, innermost last: an object's number, or -1 for an array (whose strings are not names).
  const open: number[] = [];
  let objects = 0;
  for (let i = 0; i < rawBody.length; i++) {
    const c = rawBody[i];
    if (c === '"') {
      const start = i;
      for (i++; i < rawBody.length && rawBody[i] !== '"'; i++) if (rawBody[i] === '\\') i++;
      let next = i + 1;
      while (next < rawBody.length && /\s/.test(rawBody[next] as string)) next++;
      const object = open[open.length - 1];
      if (object !== undefined && object >= 0 && rawBody[next] === ':') {
        names.push({ key: JSON.parse(rawBody.slice(start, i + 1)) as string, at: start, object, depth: open.length });
      }
    } else if (c === '{') open.push(objects++);
    else if (c === '[') open.push(-1);
    else if (c === '}' || c === ']') open.pop();
  }
  return names;
}

/**
 * Elasticsearch's parser refuses a field given twice; JSON.parse would silently keep the last one, so
 * `{"grant_type":"password","grant_type":"client_credentials"}` would mean something Elasticsearch refuses.
 * `top-level` checks the request's own fields (the token APIs, whose values are all strings); `nested` checks
 * every object, as Elasticsearch does for bodies it reads whole (a user's `metadata`, a role's `indices`).
 */
export function assertNoDuplicateFields(rawBody: string, scope: 'top-level' | 'nested' = 'top-level'): void {
  const seen = new Set<string>();
  for (const { key, at, object, depth } of fieldNames(rawBody)) {
    if (scope === 'top-level' && depth !== 1) continue;
    const field = JSON.stringify([object, key]);
    if (seen.has(field)) {
      const before = rawBody.slice(0, at);
      const line = before.split('\n').length;
      throw new ContentParseError(`[${line}:${at - before.lastIndexOf('\n')}] Duplicate field '${key}'`);
    }
    seen.add(field);
  }
}

/**
 * Reads a request body made only of string fields, as Elasticsearch's ObjectParser does for the token
 * APIs: ER-6 for an unknown field, ER-7 for a value that is not a string.
 */
export function parseStringFields<F extends string>(
  body: unknown,
  rawBody: string,
  parserName: string,
  fields: readonly F[],
): Partial<Record<F, string>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ContentParseError(`[1:1] [${parserName}] Expected START_OBJECT but was ${tokenTypeOf(body)}`);
  }
  assertNoDuplicateFields(rawBody);
  const parsed: Partial<Record<F, string>> = {};
  for (const [name, value] of Object.entries(body)) {
    if (!(fields as readonly string[]).includes(name)) {
      throw new ContentParseError(`${positionOf(rawBody, name)} [${parserName}] unknown field [${name}]`);
    }
    if (typeof value !== 'string') {
      throw new ContentParseError(
        `${positionOf(rawBody, name)} [${parserName}] ${name} doesn't support values of type: ${tokenTypeOf(value)}`,
      );
    }
    parsed[name as F] = value;
  }
  return parsed;
}
