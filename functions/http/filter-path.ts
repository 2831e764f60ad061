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

const DOUBLE_WILDCARD = '**';

/**
 * The segments of one expression: split at each `.` not escaped as `\.` (FilterPathBuilder). A segment's run of
 * `*` is one `*`, and a run of `**` segments one `**`: the same paths match, and no input can make the matching
 * multiply (700 `**` would otherwise be 700 ways of descending at every level).
 */
function segments(expression: string): string[] {
  const result: string[] = [];
  for (const raw of expression.split(/(?<!\\)\./)) {
    const segment = raw === DOUBLE_WILDCARD ? raw : raw.replaceAll('\\.', '.').replace(/\*+/g, '*');
    if (segment !== DOUBLE_WILDCARD || result.at(-1) !== DOUBLE_WILDCARD) result.push(segment);
  }
  return result;
}

export function parseFilterPath(value: string): FilterPath {
  const includes = new Map<string, Path>();
  const excludes = new Map<string, Path>();
  for (const raw of value.split(',')) {
    const expression = raw.trim();
    if (expression === '' || expression === '-') continue;
    const exclude = expression.startsWith('-');
    const path = segments(exclude ? expression.slice(1) : expression);
    // The same path twice is one path, as in FilterPathBuilder's tree.
    (exclude ? excludes : includes).set(JSON.stringify(path), path);
  }
  return { includes: [...includes.values()], excludes: [...excludes.values()] };
}

/**
 * Glob.globMatch for a segment: `*` is any run of characters. The parts between the `*`s are found left to
 * right, each at its first place after the previous one, which is where any match can put it: no part is
 * ever tried twice, so a name costs at most its length times the pattern's.
 */
function globMatches(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  const parts = pattern.split('*');
  const first = parts[0] as string;
  const last = parts.at(-1) as string;
  if (name.length < first.length + last.length || !name.startsWith(first) || !name.endsWith(last)) return false;
  let at = first.length;
  const end = name.length - last.length;
  for (const part of parts.slice(1, -1)) {
    const found = name.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}

/** How far one expression has matched: its first `at` segments are behind. */
interface Cursor {
  readonly path: Path;
  readonly at: number;
}

const isComplete = ({ path, at }: Cursor) => at === path.length;
/** An inclusion that keeps the whole field: complete, or left with a final `**`. */
const selectsAll = (cursor: Cursor) =>
  isComplete(cursor) || (cursor.at === cursor.path.length - 1 && cursor.path[cursor.at] === DOUBLE_WILDCARD);

/**
 * The cursors after one field named `name`, each (expression, position) once: at most one per segment of the
 * filter, whatever the filter, as FilterPath's nodes are.
 */
function descend(cursors: readonly Cursor[], name: string): Cursor[] {
  const next: Cursor[] = [];
  const seen = new Map<Path, Set<number>>();
  const push = (path: Path, at: number) => {
    const positions = seen.get(path) ?? new Set<number>();
    seen.set(path, positions);
    if (positions.has(at)) return;
    positions.add(at);
    next.push({ path, at });
  };
  for (const { path, at } of cursors) {
    const head = path[at];
    if (head === DOUBLE_WILDCARD) {
      push(path, at); // `**` goes on matching deeper levels...
      const after = path[at + 1]; // ...or matches none (never another `**`: runs are collapsed).
      if (after !== undefined && globMatches(after, name)) push(path, at + 2);
    } else if (head !== undefined && globMatches(head, name)) push(path, at + 1);
  }
  return next;
}

const start = (paths: readonly Path[]): Cursor[] => paths.map((path) => ({ path, at: 0 }));

const isObject = (value: Json): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Inclusion: what the `cursors` select, or undefined when nothing under `value` is selected. */
function include(value: Json, cursors: readonly Cursor[]): Json | undefined {
  if (Array.isArray(value)) {
    const kept = value.flatMap((item) => {
      const filtered = isObject(item) || Array.isArray(item) ? include(item, cursors) : undefined;
      return filtered === undefined ? [] : [filtered];
    });
    return kept.length === 0 ? undefined : kept;
  }
  if (!isObject(value)) return undefined;
  const result: Record<string, Json> = {};
  for (const [name, child] of Object.entries(value)) {
    const rests = descend(cursors, name);
    if (rests.some(selectsAll)) result[name] = child;
    else if (rests.length > 0) {
      const filtered = include(child, rests);
      if (filtered !== undefined) result[name] = filtered;
    }
  }
  return Object.keys(result).length === 0 ? undefined : result;
}

/** Exclusion: `value` without what the `cursors` match (an object emptied so stays, as an empty object). */
function exclude(value: Json, cursors: readonly Cursor[]): Json {
  if (Array.isArray(value)) return value.map((item) => exclude(item, cursors));
  if (!isObject(value)) return value;
  const result: Record<string, Json> = {};
  for (const [name, child] of Object.entries(value)) {
    const rests = descend(cursors, name);
    if (rests.some(isComplete)) continue;
    if (rests.length === 0) result[name] = child;
    else result[name] = exclude(child, rests);
  }
  return result;
}

/** The response body as `filter_path` leaves it; `{}` when nothing is left, as Elasticsearch answers. */
export function applyFilterPath(body: Json, filter: FilterPath): Json {
  let result: Json | undefined = body;
  if (filter.excludes.length > 0) result = exclude(result, start(filter.excludes));
  if (filter.includes.length > 0) result = include(result, start(filter.includes));
  return result ?? {};
}
