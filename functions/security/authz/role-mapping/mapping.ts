import { ActionRequestValidationError, ParsingError } from '../../../errors';
import { isJsonObject, type JsonObject, requireObject } from '../../../json/json-fields';
import { hasReservedMetadata } from '../../validation';
import { parseRules, type RuleExpression, rulesToJson } from './rules';
import { parseRoleTemplate, type RoleTemplate, validateRoleTemplate } from './templates';

/** A role mapping (`ExpressionRoleMapping`): who gets which roles, matched at SSO login. */
export interface RoleMapping {
  readonly name: string;
  readonly enabled: boolean;
  readonly roles: readonly string[];
  readonly roleTemplates: readonly RoleTemplate[];
  readonly rules: RuleExpression;
  readonly metadata: JsonObject;
}

/** The suffix Elasticsearch keeps for the read-only mappings of file-based settings (`ReservedRoleMappingXContentNameFieldHelper`). */
const READ_ONLY_SUFFIX = '-read-only-operator-mapping';

const field = (name: string) => new ParsingError(`[role-mapping] failed to parse field [${name}]`);

function stringArray(name: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw field(name);
  return value as string[];
}

interface Parsed {
  enabled?: boolean;
  roles?: string[];
  roleTemplates?: RoleTemplate[];
  rules?: RuleExpression;
  metadata: JsonObject;
}

function readField(parsed: Parsed, name: string, value: unknown): void {
  switch (name) {
    case 'enabled':
      if (typeof value !== 'boolean') throw field(name);
      parsed.enabled = value;
      return;
    case 'roles':
      parsed.roles = stringArray(name, value);
      return;
    case 'role_templates':
      if (!Array.isArray(value)) throw field(name);
      parsed.roleTemplates = value.map(parseRoleTemplate);
      return;
    case 'rules':
      parsed.rules = parseRules(value);
      return;
    case 'metadata':
      if (!isJsonObject(value)) throw field(name);
      parsed.metadata = value;
      return;
    default:
      throw new ParsingError(`[role-mapping] unknown field [${name}]`);
  }
}

/** `ExpressionRoleMapping.parse`: the whole mapping, so `enabled`, `rules` and `roles` or `role_templates` are required. */
export function parseRoleMapping(name: string, body: unknown, rawBody: string): RoleMapping {
  const source = requireObject(body, rawBody);
  const parsed: Parsed = { metadata: {} };
  for (const [key, value] of Object.entries(source)) readField(parsed, key, value);
  const missing = (what: string) => new ParsingError(`failed to parse role-mapping [${name}]. missing field [${what}]`);
  if (parsed.roles === undefined && parsed.roleTemplates === undefined) throw missing('roles');
  if (parsed.rules === undefined) throw missing('rules');
  if (parsed.enabled === undefined) throw missing('enabled');
  return {
    name,
    enabled: parsed.enabled,
    roles: parsed.roles ?? [],
    roleTemplates: parsed.roleTemplates ?? [],
    rules: parsed.rules,
    metadata: parsed.metadata,
  };
}

/** `PutRoleMappingRequest.validate`, then `TemplateRoleName.validate` of each template (TransportPutRoleMappingAction). */
export function assertValidRoleMapping(mapping: RoleMapping): void {
  const messages: string[] = [];
  if (mapping.name.endsWith(READ_ONLY_SUFFIX)) {
    messages.push(`Invalid mapping name [${mapping.name}]. [${READ_ONLY_SUFFIX}] is not an allowed suffix`);
  }
  if (mapping.roles.length === 0 && mapping.roleTemplates.length === 0) {
    messages.push('role-mapping roles or role-templates are missing');
  }
  if (mapping.roles.length > 0 && mapping.roleTemplates.length > 0) {
    messages.push('role-mapping cannot have both roles and role-templates');
  }
  if (hasReservedMetadata(mapping.metadata)) messages.push('metadata keys may not start with [_]');
  if (messages.length > 0) throw new ActionRequestValidationError(messages);
  for (const template of mapping.roleTemplates) validateRoleTemplate(template);
}

/** A mapping as the get API shows it (`ExpressionRoleMapping.toXContent`). */
export function describeRoleMapping(mapping: RoleMapping): Record<string, unknown> {
  return {
    enabled: mapping.enabled,
    ...(mapping.roles.length > 0 && { roles: mapping.roles }),
    ...(mapping.roleTemplates.length > 0 && { role_templates: mapping.roleTemplates }),
    rules: rulesToJson(mapping.rules),
    metadata: mapping.metadata,
  };
}

/** The mapping in its stored form: the body Elasticsearch would show, which `parseRoleMapping` reads back. */
export function storedForm(mapping: RoleMapping): string {
  return JSON.stringify(describeRoleMapping(mapping));
}

export function fromStoredForm(name: string, text: string): RoleMapping {
  return parseRoleMapping(name, JSON.parse(text), '{}');
}
