import { isLuceneRegex, patternAutomaton } from '../patterns/automatons';

/**
 * The string patterns of a role-mapping field value, as Elasticsearch's `FieldExpression.FieldValue` builds
 * them (`Automatons.patterns`): a value containing `*` is a wildcard pattern (`*` any string, `?` one
 * character, `\` escapes), a value wrapped in `/.../` is a Lucene regular expression, any other value is
 * matched exactly. Patterns are compiled once, when a mapping is parsed, to automatons that match in linear
 * time; one that cannot be compiled is refused with Lucene's or Elasticsearch's message.
 */
export type StringMatcher = (value: string) => boolean;

/** The matcher of a pattern value, or undefined when the value is matched exactly (`FieldValue.buildAutomaton`). */
export function patternMatcher(value: string): StringMatcher | undefined {
  if (!isLuceneRegex(value) && !value.includes('*')) return undefined;
  const automaton = patternAutomaton(value);
  return (candidate) => automaton.matches(candidate);
}
