import { IllegalArgumentError, ParseError } from '../../../errors';
import { isJsonObject } from '../../../json/json-fields';
import { tokenTypeOf } from '../../../request-content';
import { compileMustache, MustacheError, renderMustache, type Template } from './mustache';

/**
 * Role templates (`TemplateRoleName`): a Mustache script that renders role names from the user's model.
 * The template is kept as the JSON text of its script, as Elasticsearch keeps and shows it: a string sent
 * as `template` is that text, an object is written out as JSON.
 */
type TemplateFormat = 'string' | 'json';

export interface RoleTemplate {
  readonly template: string;
  readonly format: TemplateFormat;
}

interface Script {
  readonly source: string;
  readonly params: Record<string, unknown>;
}

const SCRIPT_FIELDS = new Set(['source', 'inline', 'lang', 'params', 'options']);

/** `Script.parse` of the template text, for the inline Mustache scripts role templates are. */
function parseScript(text: string): Script {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new IllegalArgumentError(`role template [${text}] is not a JSON script`);
  }
  if (typeof parsed === 'string') return { source: parsed, params: {} };
  if (!isJsonObject(parsed)) throw new IllegalArgumentError(`role template must be a script object or string`);
  for (const field of Object.keys(parsed)) {
    if (field === 'id') throw new IllegalArgumentError('role templates must be inline scripts, stored scripts are not supported');
    if (!SCRIPT_FIELDS.has(field)) throw new IllegalArgumentError(`[script] unknown field [${field}]`);
  }
  const source = parsed.source ?? parsed.inline;
  if (typeof source !== 'string')
    throw new IllegalArgumentError('must specify either [source] for an inline script or [id] for a stored script');
  if (parsed.lang !== undefined && parsed.lang !== 'mustache') {
    throw new IllegalArgumentError(`script_lang not supported [${String(parsed.lang)}]`);
  }
  const params = parsed.params ?? {};
  if (!isJsonObject(params)) throw new IllegalArgumentError('[script] params must be an object');
  return { source, params };
}

function compile(template: string): { script: Script; compiled: Template } {
  const script = parseScript(template);
  try {
    return { script, compiled: compileMustache(script.source) };
  } catch (error) {
    if (error instanceof MustacheError) throw new IllegalArgumentError(`failed to compile role template: ${error.message}`);
    throw error;
  }
}

/** One entry of `role_templates` as sent: `{template: script | string, format?}`. */
export function parseRoleTemplate(value: unknown): RoleTemplate {
  if (!isJsonObject(value)) throw new ParseError(`[role-mapping-template] expected an object but found [${tokenTypeOf(value)}]`);
  for (const field of Object.keys(value)) {
    if (field !== 'template' && field !== 'format') throw new ParseError(`[role-mapping-template] unknown field [${field}]`);
  }
  const { template, format = 'string' } = value;
  if (typeof template !== 'string' && !isJsonObject(template)) {
    throw new ParseError('[role-mapping-template] template must be an object or a string');
  }
  if (typeof format !== 'string') throw new ParseError(`Expected [VALUE_STRING] but found [${tokenTypeOf(format)}]`);
  const lower = format.toLowerCase();
  if (lower !== 'string' && lower !== 'json') throw new ParseError(`Invalid format [${format}] expected one of [json,string]`);
  return { template: typeof template === 'string' ? template : JSON.stringify(template), format: lower };
}

/** `TemplateRoleName.validate`: the script must parse and compile (checked when the mapping is put). */
export function validateRoleTemplate({ template }: RoleTemplate): void {
  compile(template);
}

function rolesFromJson(text: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new IllegalArgumentError(`Roles template must generate a string or an array of strings, but found [${text}]`);
  }
  if (typeof parsed === 'string') return [parsed];
  if (!Array.isArray(parsed)) {
    throw new IllegalArgumentError(
      `Roles template must generate a string or an array of strings, but found [${tokenTypeOf(parsed)}]`,
    );
  }
  return parsed.flatMap((item) => {
    if (item === null) return [];
    if (typeof item !== 'string')
      throw new IllegalArgumentError(`Roles array may only contain strings but found [${JSON.stringify(item)}]`);
    return [item];
  });
}

/** `TemplateRoleName.getRoleNames`: the script's params, then the model's values, rendered. */
export function roleNames(roleTemplate: RoleTemplate, model: Readonly<Record<string, unknown>>): string[] {
  const { script, compiled } = compile(roleTemplate.template);
  const rendered = renderMustache(compiled, { ...script.params, ...model });
  return roleTemplate.format === 'string' ? [rendered] : rolesFromJson(rendered);
}
