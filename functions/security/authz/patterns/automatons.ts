import { IllegalArgumentError } from '../../../errors';
import { Automaton } from './automaton';
import { ANY_CHAR, ANY_STRING, char, type Expression } from './expression';
import { parseLuceneRegExp } from './lucene-regexp';

/**
 * Elasticsearch's `Automatons`: the one way a security pattern (a run-as entry, a cluster privilege over
 * actions, a role-mapping value) is matched here. Every pattern becomes an `Automaton`, whose matching is
 * linear in the input whatever the pattern; no pattern ever reaches a backtracking regular-expression engine.
 */

export type { Automaton } from './automaton';

/** `Automatons.isLuceneRegex`: `/.../` */
export function isLuceneRegex(value: string): boolean {
  return value.length > 1 && value.startsWith('/') && value.endsWith('/');
}

/** `Automatons.wildcard`: `*` any string, `?` any one character, `\` takes the next character literally. */
export function wildcardAutomaton(pattern: string): Automaton {
  return new Automaton(wildcardExpression(pattern));
}

function wildcardExpression(pattern: string): Expression {
  const parts: Expression[] = [];
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    // A run of `*` is one `*`: the same language, in fewer states.
    if (c === '*' && parts.at(-1) !== ANY_STRING) parts.push(ANY_STRING);
    else if (c === '?') parts.push(ANY_CHAR);
    else if (c === '\\' && i + 1 < chars.length) parts.push(char((chars[++i] as string).codePointAt(0) as number));
    else if (c !== '*') parts.push(char(c.codePointAt(0) as number));
  }
  return { kind: 'concat', parts };
}

/** A Lucene regular expression (without its slashes); throws Lucene's message when it does not parse. */
export function regexAutomaton(regex: string): Automaton {
  return new Automaton(parseLuceneRegExp(regex));
}

/** `Automatons.pattern`: `/.../` is a Lucene regular expression, anything else a wildcard pattern. */
export function patternAutomaton(pattern: string): Automaton {
  return new Automaton(patternExpression(pattern));
}

const invalidPattern = (pattern: string) =>
  new IllegalArgumentError(
    `invalid pattern [${pattern}]. patterns starting with '/' indicate regular expression pattern and therefore must also end with '/'. other patterns (those that do not start with '/') will be treated as simple wildcard patterns`,
  );

/**
 * `Automatons.patterns`: the union of `patterns`, each a Lucene regular expression (`/.../`) or a wildcard
 * pattern; no pattern is the empty language.
 */
export function patternsAutomaton(patterns: readonly string[]): Automaton {
  return new Automaton({ kind: 'union', options: patterns.map(patternExpression) });
}

function patternExpression(pattern: string): Expression {
  if (!pattern.startsWith('/')) return wildcardExpression(pattern);
  if (!isLuceneRegex(pattern)) throw invalidPattern(pattern);
  return parseLuceneRegExp(pattern.slice(1, -1));
}

/** Why `pattern` cannot be matched here, or undefined: for refusing a role's patterns when it is written. */
export function patternError(pattern: string): string | undefined {
  try {
    patternAutomaton(pattern);
    return undefined;
  } catch (error) {
    if (error instanceof IllegalArgumentError) return error.message;
    throw error;
  }
}
