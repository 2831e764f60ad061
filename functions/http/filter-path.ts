/**
 * The `filter_path` query parameter, as Elasticsearch applies it to a response (its FilterPath and
 * FilterPathBasedFilter, documented under "Response filtering" in the common REST options):
 * - comma-separated expressions of dot-separated field names, each name possibly holding `*` wildcards;
 * - `**` stands for any number of levels (none included);
 * - an expression starting with `-` excludes what it matches; when both kinds are given, the exclusions
 *   are applied first and the inclusions then filter what is left;
 * - arrays are transparent (an expression applies to the objects inside), and objects or arrays left with
 *   nothing matched are dropped.
 */

type Json = unknown;
type Path = readonly string[];

export interface FilterPath {
  readonly includes: readonly Path[];
  readonly excludes: readonly Path[];
}

export function parseFilterPath(value: string): FilterPath {
  const includes: Path[] = [];
  const excludes: Path[] = [];
  for (const raw of value.split(',')) {
    const expression = raw.trim();
    if (expression === '' || expression === '-') continue;
    const exclude = expression.startsWith('-');
    (exclude ? excludes : includes).push((exclude ? expression.slice(1) : expression).split('.'));
  }
  return { includes, excludes };
}

function globMatches(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`, 's').test(name);
}

/** The rests of `paths` after one field named `name`: an empty rest means the field itself matched. */
function descend(paths: readonly Path[], name: string): Path[] {
  const next: Path[] = [];
  for (const path of paths) {
    const [head, ...rest] = path;
    if (head === undefined) continue;
    if (head === '**') {
      next.push(path); // `**` goes on matching deeper levels...
      next.push(...descend([rest], name)); // ...or matches none.
    } else if (globMatches(head, name)) next.push(rest);
  }
  return next;
}

const isObject = (value: Json): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Inclusion: what `paths` select, or undefined when nothing under `value` is selected. */
function include(value: Json, paths: readonly Path[]): Json | undefined {
  if (Array.isArray(value)) {
    const kept = value.flatMap((item) => {
      const filtered = isObject(item) || Array.isArray(item) ? include(item, paths) : undefined;
      return filtered === undefined ? [] : [filtered];
    });
    return kept.length === 0 ? undefined : kept;
  }
  if (!isObject(value)) return undefined;
  const result: Record<string, Json> = {};
  for (const [name, child] of Object.entries(value)) {
    const rests = descend(paths, name);
    if (rests.some((rest) => rest.length === 0 || (rest.length === 1 && rest[0] === '**'))) result[name] = child;
    else if (rests.length > 0) {
      const filtered = include(child, rests);
      if (filtered !== undefined) result[name] = filtered;
    }
  }
  return Object.keys(result).length === 0 ? undefined : result;
}

/** Exclusion: `value` without what `paths` match (an object emptied so stays, as an empty object). */
function exclude(value: Json, paths: readonly Path[]): Json {
  if (Array.isArray(value)) return value.map((item) => exclude(item, paths));
  if (!isObject(value)) return value;
  const result: Record<string, Json> = {};
  for (const [name, child] of Object.entries(value)) {
    const rests = descend(paths, name);
    if (rests.some((rest) => rest.length === 0)) continue;
    if (rests.length === 0) result[name] = child;
    else result[name] = exclude(child, rests);
  }
  return result;
}

/** The response body as `filter_path` leaves it; `{}` when nothing is left, as Elasticsearch answers. */
export function applyFilterPath(body: Json, filter: FilterPath): Json {
  let result: Json | undefined = body;
  if (filter.excludes.length > 0) result = exclude(result, filter.excludes);
  if (filter.includes.length > 0) result = include(result, filter.includes);
  return result ?? {};
}
