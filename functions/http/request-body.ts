import { ContentParseError } from '../errors';

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
function positionOf(rawBody: string, field: string): string {
  const at = rawBody.indexOf(JSON.stringify(field));
  if (at < 0) return '[1:1]';
  const before = rawBody.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n') + JSON.stringify(field).length;
  return `[${line}:${column}]`;
}

/** The keys of the top-level object of a body that is already known to be valid JSON, with their offsets. */
function topLevelKeys(rawBody: string): { key: string; at: number }[] {
  const keys: { key: string; at: number }[] = [];
  let depth = 0;
  for (let i = 0; i < rawBody.length; i++) {
    const c = rawBody[i];
    if (c === '"') {
      const start = i;
      for (i++; i < rawBody.length && rawBody[i] !== '"'; i++) if (rawBody[i] === '\\') i++;
      let next = i + 1;
      while (next < rawBody.length && /\s/.test(rawBody[next] as string)) next++;
      if (depth === 1 && rawBody[next] === ':') keys.push({ key: JSON.parse(rawBody.slice(start, i + 1)) as string, at: start });
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return keys;
}

/**
 * Elasticsearch's parser refuses a field given twice; JSON.parse would silently keep the last one, so
 * `{"grant_type":"password","grant_type":"client_credentials"}` would mean something Elasticsearch refuses.
 */
function assertNoDuplicateFields(rawBody: string): void {
  const seen = new Set<string>();
  for (const { key, at } of topLevelKeys(rawBody)) {
    if (seen.has(key)) {
      const before = rawBody.slice(0, at);
      const line = before.split('\n').length;
      throw new ContentParseError(`[${line}:${at - before.lastIndexOf('\n')}] Duplicate field '${key}'`);
    }
    seen.add(key);
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
