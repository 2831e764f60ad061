import { ParseError } from '../../../errors';
import { isJsonObject } from '../../../json/json-fields';
import { tokenTypeOf } from '../../../request-content';
import { normalizeDn } from './distinguished-names';
import { patternMatcher, type StringMatcher } from './patterns';

/**
 * The rules of a role mapping (Elasticsearch's expression DSL: `ExpressionParser`, `AnyExpression`,
 * `AllExpression`, `ExceptExpression`, `FieldExpression`), parsed from the JSON a client sends, matched
 * against the user's model, and written back as Elasticsearch shows them.
 */

type Scalar = string | number | boolean | null;

interface FieldValue {
  readonly value: Scalar;
  /** Set for wildcard and regex values (`FieldValue.getAutomaton`). */
  readonly matcher?: StringMatcher;
}

export type RuleExpression =
  | { readonly kind: 'any'; readonly rules: readonly RuleExpression[] }
  | { readonly kind: 'all'; readonly rules: readonly RuleExpression[] }
  | { readonly kind: 'except'; readonly rule: RuleExpression }
  | { readonly kind: 'field'; readonly field: string; readonly values: readonly FieldValue[] };

const fail = (message: string) => new ParseError(`failed to parse rules expression. ${message}`);

function singleField(objectName: string, value: unknown): [string, unknown] {
  if (!isJsonObject(value)) throw fail(`expected [${objectName}] to be an object but found [${tokenTypeOf(value)}] instead`);
  const entries = Object.entries(value);
  if (entries.length === 0) throw fail(`object [${objectName}] does not contain any fields`);
  if (entries.length > 1) throw fail(`object [${objectName}] contains multiple fields`);
  return entries[0] as [string, unknown];
}

function parseArray(field: 'any' | 'all', value: unknown): RuleExpression[] {
  if (!Array.isArray(value)) throw fail(`field [${field}] requires an array`);
  return value.map((element) => parseObject(field, element, field === 'all'));
}

function parseObject(objectName: string, value: unknown, allowExcept: boolean): RuleExpression {
  const [field, content] = singleField(objectName, value);
  switch (field) {
    case 'any':
      return { kind: 'any', rules: parseArray('any', content) };
    case 'all':
      return { kind: 'all', rules: parseArray('all', content) };
    case 'field':
      return parseFieldExpression(content);
    case 'except':
      if (!allowExcept) throw fail(`field [except] is not allowed within [${objectName}]`);
      if (!isJsonObject(content)) throw fail(`expected an object but found [${tokenTypeOf(content)}] instead`);
      return { kind: 'except', rule: parseObject('except', content, false) };
    default:
      throw fail(`field [${field}] is not recognised in object [${objectName}]`);
  }
}

function parseFieldValue(value: unknown): FieldValue {
  if (typeof value === 'string') {
    const matcher = patternMatcher(value);
    return matcher === undefined ? { value } : { value, matcher };
  }
  // Elasticsearch reads every number as a long (`parser.longValue()`).
  if (typeof value === 'number') return { value: Math.trunc(value) };
  if (typeof value === 'boolean' || value === null) return { value };
  throw fail(`expected a field value but found [${tokenTypeOf(value)}] instead`);
}

function parseFieldExpression(content: unknown): RuleExpression {
  if (!isJsonObject(content)) throw fail(`expected an object but found [${tokenTypeOf(content)}] instead`);
  const [field, raw] = singleField('field', content);
  const values = Array.isArray(raw) ? raw.map(parseFieldValue) : [parseFieldValue(raw)];
  // `FieldExpression`'s constructor refuses an empty list (an IllegalArgumentException, a 400).
  if (values.length === 0) throw new ParseError(`failed to parse rules expression. null or empty values for field [${field}]`);
  return { kind: 'field', field, values };
}

/** `ExpressionParser.parse("rules", ...)` */
export function parseRules(value: unknown): RuleExpression {
  return parseObject('rules', value, false);
}

/** The rules as Elasticsearch writes them back: a field with one value shows it bare, several as an array. */
export function rulesToJson(rule: RuleExpression): Record<string, unknown> {
  switch (rule.kind) {
    case 'any':
    case 'all':
      return { [rule.kind]: rule.rules.map(rulesToJson) };
    case 'except':
      return { except: rulesToJson(rule.rule) };
    case 'field': {
      const values = rule.values.map((v) => v.value);
      return { field: { [rule.field]: values.length === 1 ? values[0] : values } };
    }
  }
}

/** How a field of the model tests one value of a rule (`ExpressionModel`'s predicates). */
export type FieldPredicate = (value: FieldValue) => boolean;

const NULL_PREDICATE: FieldPredicate = (v) => v.value === null;

/** `ExpressionModel.buildPredicate`: the predicate that fits the type of the model's value. */
export function predicateFor(value: unknown): FieldPredicate {
  if (value === null || value === undefined) return NULL_PREDICATE;
  if (typeof value === 'boolean') return (v) => v.value === value;
  if (typeof value === 'number') return (v) => typeof v.value === 'number' && v.value === value;
  if (typeof value === 'string') return (v) => (v.matcher === undefined ? v.value === value : v.matcher(value));
  if (Array.isArray(value)) {
    const elements = value.map(predicateFor);
    return (v) => elements.some((predicate) => predicate(v));
  }
  // Elasticsearch refuses to build a model over an object value; here such a field matches nothing.
  return () => false;
}

/**
 * `DistinguishedNamePredicate`, for `dn` and `groups`: case-insensitive, DN-normalised, and a pattern
 * `*,<dn>` also matches every descendant of `<dn>`.
 */
export function distinguishedNamePredicate(text: string): FieldPredicate {
  const normalized = normalizeDn(text);
  return ({ value, matcher }) => {
    if (matcher !== undefined) {
      if (matcher(text) || (normalized !== undefined && matcher(normalized))) return true;
      if (matcher(text.toLowerCase()) || matcher(text.toUpperCase())) return true;
      if (normalized === undefined || typeof value !== 'string' || !value.startsWith('*,')) return false;
      const suffix = value.slice(2);
      if (suffix.includes('*')) return false;
      const normalizedSuffix = normalizeDn(suffix);
      if (normalizedSuffix === undefined) return false;
      return normalized.endsWith(`,${normalizedSuffix}`) || (normalizedSuffix === '' && normalized !== '');
    }
    if (typeof value !== 'string') return false;
    if (value.toLowerCase() === text.toLowerCase()) return true;
    if (normalized === undefined) return false;
    const other = normalizeDn(value);
    return other !== undefined ? other === normalized : value.toLowerCase() === normalized;
  };
}

/** The model a mapping's rules are matched against: field name to predicate. */
export type ExpressionModel = ReadonlyMap<string, FieldPredicate>;

export function matches(rule: RuleExpression, model: ExpressionModel): boolean {
  switch (rule.kind) {
    case 'any':
      return rule.rules.some((r) => matches(r, model));
    case 'all':
      return rule.rules.every((r) => matches(r, model));
    case 'except':
      return !matches(rule.rule, model);
    case 'field': {
      const predicate = model.get(rule.field) ?? NULL_PREDICATE;
      return rule.values.some(predicate);
    }
  }
}
