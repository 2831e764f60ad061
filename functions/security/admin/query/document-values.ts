import { isJsonObject } from '../../../json/json-fields';

/**
 * The values a query sees in a field of an item, as Elasticsearch indexes them: keyword values as they are (a
 * boolean or a number as its text, as a flattened field keeps it), arrays as several values, the leaves under an
 * object when the object itself is named (a flattened field). Text fields are also split into lower-case tokens
 * (the standard analyzer, approximately: letters and digits).
 */
export function fieldValues(item: unknown, path: string): string[] {
  const values: string[] = [];
  collect(item, path.split('.'), values);
  return values;
}

function collect(value: unknown, path: readonly string[], into: string[]): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const element of value) collect(element, path, into);
    return;
  }
  const [head, ...rest] = path;
  if (head === undefined) {
    if (isJsonObject(value)) for (const child of Object.values(value)) collect(child, [], into);
    else into.push(String(value));
    return;
  }
  // Own keys only: a path segment named like an object property (`constructor`) finds nothing.
  if (isJsonObject(value) && Object.hasOwn(value, head)) collect(value[head], rest, into);
}

/** Letters and digits, lower-cased: what the standard analyzer makes of names and addresses, near enough. */
export function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token !== '');
}
