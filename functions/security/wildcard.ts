/** Characters a JavaScript regular expression reads as syntax. */
const JS_SPECIAL = /[\\^$.*+?()[\]{}|/]/;

/** One character, matched as itself in a JavaScript regular expression. */
export function literal(char: string): string {
  return JS_SPECIAL.test(char) ? `\\${char}` : char;
}

/**
 * Elasticsearch's `Automatons.wildcard` as a regular expression source: `*` is any run of characters, `?` any
 * one, `\` escapes the next; nothing else means anything. Shared by cluster privilege patterns and role-mapping
 * field values, which Elasticsearch builds with the same automaton.
 */
export function wildcardSource(pattern: string): string {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '*') source += '[\\s\\S]*';
    else if (char === '?') source += '[\\s\\S]';
    else if (char === '\\' && i + 1 < pattern.length) source += literal(pattern[++i] as string);
    else source += literal(char);
  }
  return source;
}
