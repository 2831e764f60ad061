/**
 * A condition on a stored pair, declared as data so that one statement of a rule serves both where it is
 * checked: evaluated on a pair in hand (`holds`), and rendered by the storage adapter into the condition of
 * the write that must not happen unless the rule holds (store/token-expressions.ts). The two cannot drift.
 *
 * The vocabulary is as small as the rules need: a flag is false, an instant is at or after a bound, a field
 * is present or absent, and conjunction and disjunction of those.
 */

/** The fields of a stored pair the rules read (names of the domain; the adapter maps them to attributes). */
export interface PairStatus {
  readonly refreshHash?: string;
  readonly createdAt: number;
  readonly accessExpiresAt: number;
  readonly accessInvalidated: boolean;
  readonly refreshInvalidated: boolean;
  readonly refreshedAt?: number;
  /** The InvalidationId of the request that invalidated each half (see token-store.ts). */
  readonly accessInvalidatedBy?: string;
  readonly refreshInvalidatedBy?: string;
}

type FlagField = 'accessInvalidated' | 'refreshInvalidated';
type InstantField = 'createdAt' | 'accessExpiresAt';
type OptionalField = 'refreshHash' | 'refreshedAt';
/** The instants a condition compares with, supplied when it is checked. */
export type Bound = 'now' | 'createdNotBefore';

export type PairCondition =
  | { readonly isFalse: FlagField }
  | { readonly notBefore: InstantField; readonly bound: Bound }
  | { readonly present: OptionalField }
  | { readonly absent: OptionalField }
  | { readonly all: readonly PairCondition[] }
  | { readonly any: readonly PairCondition[] };

export type Bounds = Readonly<Partial<Record<Bound, number>>>;

/** Whether `pair` satisfies `condition`; a bound the condition needs and `bounds` lacks is a programming error. */
export function holds(condition: PairCondition, pair: PairStatus, bounds: Bounds): boolean {
  if ('all' in condition) return condition.all.every((part) => holds(part, pair, bounds));
  if ('any' in condition) return condition.any.some((part) => holds(part, pair, bounds));
  if ('isFalse' in condition) return pair[condition.isFalse] === false;
  if ('present' in condition) return pair[condition.present] !== undefined;
  if ('absent' in condition) return pair[condition.absent] === undefined;
  const bound = bounds[condition.bound];
  if (bound === undefined) throw new Error(`no ${condition.bound} bound given`);
  return pair[condition.notBefore] >= bound;
}

/** The bounds a condition compares with, each once, in the order they appear. */
export function boundsOf(condition: PairCondition): Bound[] {
  if ('all' in condition || 'any' in condition) {
    const parts = 'all' in condition ? condition.all : condition.any;
    return [...new Set(parts.flatMap(boundsOf))];
  }
  return 'bound' in condition ? [condition.bound] : [];
}
