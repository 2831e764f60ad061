import { ActionRequestValidationError, ParseError } from '../../errors';
import { isJsonObject, type JsonObject, requireObject } from '../../json/json-fields';
import { tokenTypeOf } from '../../request-content';
import { hasReservedMetadata, roleNameError } from '../validation';
import { clusterPrivilegeError } from './cluster-privileges';
import { patternError } from './patterns/automatons';
import type { RoleDescriptor } from './role-store';
import { isBuiltInRole } from './roles';

/** `Validation.Roles.MAX_DESCRIPTION_LENGTH` */
const MAX_DESCRIPTION_LENGTH = 1000;

type FieldKind = 'strings' | 'objects' | 'object' | 'string';

/**
 * The fields of an Elasticsearch role descriptor and their JSON shapes. Only `cluster` is enforced by this
 * service; the others are kept as sent. `transient_metadata` is accepted and dropped, as Elasticsearch does
 * (it is computed, never stored). A Map, not an object literal: a field named `constructor` or `__proto__`
 * must be an unknown field, not a property every object inherits.
 */
const ROLE_FIELDS: ReadonlyMap<string, FieldKind> = new Map([
  ['cluster', 'strings'],
  ['global', 'object'],
  ['indices', 'objects'],
  ['applications', 'objects'],
  ['run_as', 'strings'],
  ['metadata', 'object'],
  ['transient_metadata', 'object'],
  ['remote_indices', 'objects'],
  ['remote_cluster', 'objects'],
  ['description', 'string'],
]);

const KIND_TEXT: Record<FieldKind, string> = {
  strings: 'an array of strings',
  objects: 'an array of objects',
  object: 'an object',
  string: 'a string',
};

function fits(kind: FieldKind, value: unknown): boolean {
  switch (kind) {
    case 'strings':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'objects':
      return Array.isArray(value) && value.every(isJsonObject);
    case 'object':
      return isJsonObject(value);
    case 'string':
      return typeof value === 'string';
  }
}

/**
 * A role body (`RoleDescriptor.parse`), `rawBody` as received: an unknown field or a value of the wrong shape
 * is a parse_exception.
 */
export function parseRoleDescriptor(name: string, body: unknown, rawBody: string): RoleDescriptor {
  const source = requireObject(body, rawBody);
  const descriptor: JsonObject = { cluster: [] };
  for (const [field, raw] of Object.entries(source)) {
    const kind = ROLE_FIELDS.get(field);
    if (kind === undefined) throw new ParseError(`failed to parse role [${name}]. unexpected field [${field}]`);
    // Elasticsearch reads a lone string where it expects an array of strings.
    const value = kind === 'strings' && typeof raw === 'string' ? [raw] : raw;
    if (!fits(kind, value)) {
      throw new ParseError(
        `failed to parse role [${name}]. expected field [${field}] value to be ${KIND_TEXT[kind]}, but found [${tokenTypeOf(value)}] instead`,
      );
    }
    if (field !== 'transient_metadata') descriptor[field] = value;
  }
  return descriptor as RoleDescriptor;
}

/** `PutRoleRequest.validate()`: checked before authorization. Only `superuser` is built in here, so only it is reserved. */
export function assertValidPutRoleRequest(name: string, descriptor: RoleDescriptor): void {
  const messages: string[] = [];
  const nameError = roleNameError(name);
  if (nameError !== undefined) messages.push(nameError);
  else if (isBuiltInRole(name)) messages.push(`Role [${name}] is reserved and may not be used.`);
  messages.push(...roleDescriptorErrors(descriptor), ...runAsPatternErrors(descriptor));
  if (messages.length > 0) throw new ActionRequestValidationError(messages);
}

/**
 * The `run_as` entries that cannot be matched here: a `/` pattern not closed, a regular expression that does
 * not parse (Lucene's message), or one using what the linear matcher leaves out (`~`, `&`, `<...>`). Refused
 * by the role API, where Elasticsearch would accept the role and fail when it is used; a roles-file role keeps
 * its other privileges, such an entry granting nothing.
 */
function runAsPatternErrors(descriptor: RoleDescriptor): string[] {
  const patterns = Array.isArray(descriptor.run_as) ? descriptor.run_as : [];
  return patterns.flatMap((pattern) => {
    const error = typeof pattern === 'string' ? patternError(pattern) : undefined;
    return error === undefined ? [] : [`invalid run_as pattern [${pattern}]: ${error}`];
  });
}

/**
 * `RoleDescriptorRequestValidator.validate`: what makes a parsed descriptor unusable, whether it came from the
 * role API or the roles file. Only cluster privileges are resolved: they are all this service enforces.
 */
export function roleDescriptorErrors(descriptor: RoleDescriptor): string[] {
  const messages: string[] = [];
  for (const privilege of descriptor.cluster) {
    const error = clusterPrivilegeError(privilege);
    if (error !== undefined) messages.push(error);
  }
  if (hasReservedMetadata(descriptor.metadata as JsonObject | undefined)) {
    messages.push('role descriptor metadata keys may not start with [_]');
  }
  const description = descriptor.description as string | undefined;
  if (description !== undefined && description.length > MAX_DESCRIPTION_LENGTH) {
    messages.push(`Role description must be less than ${MAX_DESCRIPTION_LENGTH} characters.`);
  }
  return messages;
}
