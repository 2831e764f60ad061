import { IllegalArgumentError } from '../../../errors';
import { ANY_CHAR, ANY_STRING, char, EMPTY, type Expression, literal, MAX_CODE_POINT } from './expression';

/**
 * Lucene's RegExp syntax (what Elasticsearch's `Automatons.pattern` compiles a `/.../` pattern with, all syntax
 * flags on), parsed the way its recursive-descent parser reads it, with its error texts: a whole-string match;
 * `.` any character, `@` any string, `#` nothing, `"..."` a literal, `\d \D \s \S \w \W` classes, `\x` the
 * character x; `^` and `$` are ordinary characters; a misplaced `*`, `)` or `{` is a literal.
 *
 * Complement (`~`), intersection (`&`) and `<...>` (numeric intervals, named automatons) are refused: the
 * automaton here is run without being determinized, which is what keeps its matching linear; complement and
 * intersection would need determinizing, and intervals are left out for want of a use.
 */

/** Deeper nesting than this is refused rather than risking the parser's stack. */
const MAX_NESTING = 50;

const PREDEFINED: Readonly<Record<string, readonly number[]>> = {
  d: [0x30, 0x39],
  s: [0x09, 0x0a, 0x0d, 0x0d, 0x20, 0x20],
  w: [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a],
};

/** The code points outside `ranges` (sorted, disjoint inclusive pairs). */
function complement(ranges: readonly number[]): number[] {
  const result: number[] = [];
  let from = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    if ((ranges[i] as number) > from) result.push(from, (ranges[i] as number) - 1);
    from = (ranges[i + 1] as number) + 1;
  }
  if (from <= MAX_CODE_POINT) result.push(from, MAX_CODE_POINT);
  return result;
}

const INVALID_ESCAPES = /[abcefghijklmnopqrtuvxyzABCEFGHIJKLMNOPQRTUVXYZ]/;

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  parse(): Expression {
    if (this.text === '') return EMPTY;
    const expression = this.union();
    if (this.more()) throw this.error(`end-of-string expected at position ${this.pos}`);
    return expression;
  }

  private error(message: string): IllegalArgumentError {
    return new IllegalArgumentError(message);
  }

  private more(): boolean {
    return this.pos < this.text.length;
  }

  private current(): string {
    return String.fromCodePoint(this.text.codePointAt(this.pos) as number);
  }

  private peek(chars: string): boolean {
    return this.more() && chars.includes(this.current());
  }

  private match(c: string): boolean {
    if (!this.more() || this.current() !== c) return false;
    this.pos += c.length;
    return true;
  }

  private next(): number {
    if (!this.more()) throw this.error('unexpected end-of-string');
    const codePoint = this.text.codePointAt(this.pos) as number;
    this.pos += codePoint > 0xffff ? 2 : 1;
    return codePoint;
  }

  private union(): Expression {
    const options = [this.intersection()];
    while (this.match('|')) options.push(this.intersection());
    return options.length === 1 ? (options[0] as Expression) : { kind: 'union', options };
  }

  private intersection(): Expression {
    const expression = this.concatenation();
    if (this.peek('&')) throw this.error(`unsupported regular expression operator [&] in [${this.text}]`);
    return expression;
  }

  private concatenation(): Expression {
    const parts = [this.repeat()];
    while (this.more() && !this.peek(')|&')) parts.push(this.repeat());
    return parts.length === 1 ? (parts[0] as Expression) : { kind: 'concat', parts };
  }

  private repeat(): Expression {
    let expression = this.complement();
    let wrappers = 0;
    while (this.peek('?*+{')) {
      const operand = expression;
      if (this.match('?')) expression = repeated(expression, 0, 1);
      else if (this.match('*')) expression = repeated(expression, 0, undefined);
      else if (this.match('+')) expression = repeated(expression, 1, undefined);
      else if (this.match('{')) expression = this.bounds(expression);
      const wrapped = expression.kind === 'repeat' && expression.expression === operand;
      if (wrapped && ++wrappers + this.depth > MAX_NESTING) throw this.nestingError();
    }
    return expression;
  }

  private nestingError(): IllegalArgumentError {
    return this.error(`regular expression nested deeper than ${MAX_NESTING} levels`);
  }

  private integer(): number | undefined {
    const start = this.pos;
    while (this.peek('0123456789')) this.next();
    return start === this.pos ? undefined : Number(this.text.slice(start, this.pos));
  }

  /** `{n}`, `{n,}` or `{n,m}`, after the `{`. */
  private bounds(expression: Expression): Expression {
    const min = this.integer();
    if (min === undefined) throw this.error(`integer expected at position ${this.pos}`);
    const max = this.match(',') ? this.integer() : min;
    if (!this.match('}')) throw this.error(`expected '}' at position ${this.pos}`);
    return repeated(expression, min, max);
  }

  private complement(): Expression {
    if (this.peek('~')) throw this.error(`unsupported regular expression operator [~] in [${this.text}]`);
    return this.characterClass();
  }

  private characterClass(): Expression {
    if (!this.match('[')) return this.simple();
    const negated = this.match('^');
    const ranges: number[] = [...this.classMember()];
    while (this.more() && !this.peek(']')) ranges.push(...this.classMember());
    if (!this.match(']')) throw this.error(`expected ']' at position ${this.pos}`);
    return { kind: 'class', ranges: normalized(ranges), negated };
  }

  private classMember(): readonly number[] {
    const predefined = this.predefined();
    if (predefined !== undefined) return predefined;
    const from = this.escapedChar();
    if (!this.match('-')) return [from, from];
    const to = this.escapedChar();
    if (from > to) throw this.error(`invalid range: from (${from}) cannot be > to (${to})`);
    return [from, to];
  }

  /** `\d` and its kin as ranges; `\\` as a backslash; an escaped letter with no meaning is an error. */
  private predefined(): readonly number[] | undefined {
    if (!this.match('\\')) return undefined;
    if (this.peek('dDwWsS')) {
      const name = String.fromCodePoint(this.next());
      const ranges = PREDEFINED[name.toLowerCase()] as readonly number[];
      return name === name.toLowerCase() ? ranges : complement(ranges);
    }
    if (this.peek('\\')) {
      const backslash = this.next();
      return [backslash, backslash];
    }
    if (this.more() && INVALID_ESCAPES.test(this.current())) {
      throw this.error(`invalid character class \\${String.fromCodePoint(this.next())}`);
    }
    return undefined; // the backslash is consumed: the next character is taken literally
  }

  private escapedChar(): number {
    this.match('\\');
    return this.next();
  }

  private simple(): Expression {
    if (this.match('.')) return ANY_CHAR;
    if (this.match('#')) return { kind: 'nothing' };
    if (this.match('@')) return ANY_STRING;
    if (this.match('"')) return this.quoted();
    if (this.match('(')) return this.group();
    if (this.peek('<')) throw this.error(`unsupported regular expression operator [<] in [${this.text}]`);
    const predefined = this.predefined();
    if (predefined !== undefined) return { kind: 'class', ranges: predefined, negated: false };
    return char(this.escapedChar());
  }

  private quoted(): Expression {
    const start = this.pos;
    while (this.more() && !this.peek('"')) this.next();
    if (!this.match('"')) throw this.error(`expected '"' at position ${this.pos}`);
    return literal(this.text.slice(start, this.pos - 1));
  }

  private group(): Expression {
    if (this.match(')')) return EMPTY;
    if (++this.depth > MAX_NESTING) throw this.nestingError();
    const expression = this.union();
    this.depth--;
    if (!this.match(')')) throw this.error(`expected ')' at position ${this.pos}`);
    return expression;
  }
}

/**
 * `min` to `max` occurrences of `expression`. A `?`, `*` or `+` of a `?`, `*` or `+` is one operator (`(a*)*` is
 * `a*`), so that stacked operators neither deepen the automaton nor count against the nesting bound.
 */
function repeated(expression: Expression, min: number, max: number | undefined): Expression {
  const simple = (m: number, n: number | undefined) => m <= 1 && (n === undefined || n === 1);
  if (expression.kind === 'repeat' && simple(expression.min, expression.max) && simple(min, max)) {
    const inner = expression;
    const unbounded = inner.max === undefined || max === undefined;
    return unbounded
      ? { kind: 'repeat', expression: inner.expression, min: inner.min * min }
      : { kind: 'repeat', expression: inner.expression, min: inner.min * min, max: 1 };
  }
  return max === undefined ? { kind: 'repeat', expression, min } : { kind: 'repeat', expression, min, max };
}

/** Ranges sorted and merged, so that a complement of them can be taken. */
function normalized(ranges: readonly number[]): number[] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < ranges.length; i += 2) pairs.push([ranges[i] as number, ranges[i + 1] as number]);
  pairs.sort((a, b) => a[0] - b[0]);
  const merged: number[] = [];
  for (const [from, to] of pairs) {
    const last = merged.length - 1;
    if (last > 0 && from <= (merged[last] as number) + 1) merged[last] = Math.max(merged[last] as number, to);
    else merged.push(from, to);
  }
  return merged;
}

/** A Lucene regular expression (the text between the slashes) as an expression; throws Lucene's messages. */
export function parseLuceneRegExp(regex: string): Expression {
  return new Parser(regex).parse();
}
