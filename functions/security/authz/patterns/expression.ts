/**
 * A pattern as a tree, before it becomes an automaton: what Lucene's RegExp parses to, restricted to the
 * operators an automaton without complement or intersection can run (see lucene-regexp.ts).
 */

/** The largest code point: `.`, `@` and negated classes range up to it, as Lucene's automatons do. */
export const MAX_CODE_POINT = 0x10ffff;

export type Expression =
  /** The empty string: `()`, `""`, an empty regex. */
  | { readonly kind: 'empty' }
  /** The empty language (`#`): matches nothing. */
  | { readonly kind: 'nothing' }
  /** `@`: any string. */
  | { readonly kind: 'anyString' }
  /** One code point within `ranges` (inclusive pairs), or outside them when `negated`. */
  | { readonly kind: 'class'; readonly ranges: readonly number[]; readonly negated: boolean }
  | { readonly kind: 'concat'; readonly parts: readonly Expression[] }
  | { readonly kind: 'union'; readonly options: readonly Expression[] }
  /** `min` to `max` occurrences; no `max` is unbounded. */
  | { readonly kind: 'repeat'; readonly expression: Expression; readonly min: number; readonly max?: number };

export const EMPTY: Expression = { kind: 'empty' };
export const ANY_CHAR: Expression = { kind: 'class', ranges: [], negated: true };
export const ANY_STRING: Expression = { kind: 'anyString' };

export const char = (codePoint: number): Expression => ({ kind: 'class', ranges: [codePoint, codePoint], negated: false });

/** A literal string, code point by code point. */
export function literal(text: string): Expression {
  const parts = Array.from(text, (c) => char(c.codePointAt(0) as number));
  return parts.length === 1 ? (parts[0] as Expression) : { kind: 'concat', parts };
}
