import { IllegalArgumentError } from '../../errors';
import { literal, wildcardSource } from '../wildcard';

/**
 * The string patterns of a role-mapping field value, as Elasticsearch's `FieldExpression.FieldValue` builds
 * them (`Automatons.patterns`): a value containing `*` is a wildcard pattern (`*` any string, `?` one
 * character, `\` escapes), a value wrapped in `/.../` is a Lucene regular expression, any other value is
 * matched exactly. Patterns are compiled once, when a mapping is parsed.
 */
export type StringMatcher = (value: string) => boolean;

/**
 * Lucene's RegExp syntax read into a JavaScript one: `.` is any character, `@` any string, `#` the empty
 * language, `"..."` a literal, `\x` the literal x; `^` and `$` are ordinary characters. Complement (`~`),
 * intersection (`&`) and numeric intervals (`<n-m>`) have no JavaScript equivalent and are refused.
 */
function luceneRegexSource(regex: string): string {
  let source = '';
  let inClass = false;
  for (let i = 0; i < regex.length; i++) {
    const char = regex[i] as string;
    if (char === '\\' && i + 1 < regex.length) {
      source += literal(regex[++i] as string);
    } else if (inClass) {
      if (char === ']') inClass = false;
      source += char === '[' ? '\\[' : char;
    } else if (char === '[') {
      inClass = true;
      source += char;
    } else if (char === '"') {
      const end = regex.indexOf('"', i + 1);
      if (end < 0) throw new IllegalArgumentError(`invalid regular expression [${regex}]: unterminated string`);
      source += [...regex.slice(i + 1, end)].map(literal).join('');
      i = end;
    } else if (char === '.') source += '[\\s\\S]';
    else if (char === '@') source += '[\\s\\S]*';
    else if (char === '#') source += '(?!)';
    else if (char === '~' || char === '&' || char === '<') {
      throw new IllegalArgumentError(`unsupported regular expression operator [${char}] in [${regex}]`);
    } else source += char === '^' || char === '$' || char === '/' ? `\\${char}` : char;
  }
  return source;
}

function compiled(source: string, original: string): StringMatcher {
  try {
    const regex = new RegExp(`^(?:${source})$`, 's');
    return (value) => regex.test(value);
  } catch {
    throw new IllegalArgumentError(`invalid regular expression [${original}]`);
  }
}

export function isLuceneRegex(value: string): boolean {
  return value.length > 1 && value.startsWith('/') && value.endsWith('/');
}

/** The matcher of a pattern value, or undefined when the value is matched exactly (`FieldValue.buildAutomaton`). */
export function patternMatcher(value: string): StringMatcher | undefined {
  if (isLuceneRegex(value)) return compiled(luceneRegexSource(value.slice(1, -1)), value);
  if (!value.includes('*')) return undefined;
  if (value.startsWith('/')) {
    throw new IllegalArgumentError(
      `invalid pattern [${value}]. patterns starting with '/' indicate regular expression pattern and therefore must also end with '/'. other patterns (those that do not start with '/') will be treated as simple wildcard patterns`,
    );
  }
  return compiled(wildcardSource(value), value);
}
