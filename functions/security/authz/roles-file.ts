import { parseDocument } from 'yaml';
import { ElasticsearchError } from '../../errors';
import { isJsonObject } from '../../json/json-fields';
import { roleNameError } from '../validation';
import { parseRoleDescriptor, roleDescriptorErrors } from './role-requests';
import type { RoleDescriptor } from './role-store';
import { isBuiltInRole } from './roles';

/**
 * Elasticsearch's `roles.yml` (its FileRolesStore), read with a YAML parser into the role API's own model and
 * validation (`parseRoleDescriptor`, `roleDescriptorErrors`): a role is granted exactly the `cluster` and `run_as`
 * lists at its top level (the composition hands each to its check), whatever its `metadata` or `indices` hold, and the file and the API cannot disagree on what a
 * role is. A role that is not valid is skipped with a warning naming it, as Elasticsearch does; the others load.
 */
export interface RolesFile {
  readonly roles: Map<string, RoleDescriptor>;
  /** One line for each role skipped (or for the file, when nothing in it could be read). */
  readonly warnings: string[];
}

/** Aliases expand in memory: a few hundred is plenty for a roles file and keeps "billion laughs" out. */
const PARSE_OPTIONS = { merge: true, uniqueKeys: true, maxAliasCount: 200 } as const;

/**
 * Elasticsearch's `roleSegments`: each role starts at a line that is not indented, comments and blanks aside
 * (and YAML's document markers, so that a file of several documents is read as their roles).
 */
const SKIP_LINE = /^(\s*(#.*)?|---\s*|\.\.\.\s*)$/;
const IN_SEGMENT_LINE = /^\s+\S/;

export function parseRolesFile(text: string, path = 'roles.yml'): RolesFile {
  const file: RolesFile = { roles: new Map(), warnings: [] };
  const whole = readYaml(text);
  if (whole.ok) {
    readRoles(whole.value, path, file);
    return file;
  }
  // One broken role must not cost the others (Elasticsearch parses the file role by role): read each alone.
  for (const segment of roleSegments(text)) {
    const part = readYaml(segment);
    if (part.ok && isJsonObject(part.value)) readRoles(part.value, path, file);
    else file.warnings.push(`invalid role definition [${segmentName(segment)}] in roles file [${path}]. skipping role...`);
  }
  return file;
}

/** The YAML as plain values, or not ok: a syntax error, a key given twice, too many aliases, a bad merge. */
function readYaml(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    const document = parseDocument(text, PARSE_OPTIONS);
    if (document.errors.length > 0) return { ok: false };
    return { ok: true, value: document.toJS({ maxAliasCount: PARSE_OPTIONS.maxAliasCount }) };
  } catch {
    return { ok: false };
  }
}

function readRoles(contents: unknown, path: string, file: RolesFile): void {
  if (contents === null || contents === undefined) return;
  if (!isJsonObject(contents)) {
    file.warnings.push(`invalid roles file [${path}]: expected a mapping of role names to roles. skipping all roles...`);
    return;
  }
  for (const [name, body] of Object.entries(contents)) {
    const descriptor = readRole(name, body, path, file.warnings);
    if (descriptor !== undefined) file.roles.set(name, descriptor);
  }
}

/** `FileRolesStore.parseRoleDescriptor` and `checkDescriptor`, with their warnings. */
function readRole(name: string, body: unknown, path: string, warnings: string[]): RoleDescriptor | undefined {
  const invalid = (reason?: string) => {
    warnings.push(`invalid role definition [${name}] in roles file [${path}]. ${reason ? `${reason}. ` : ''}skipping role...`);
    return undefined;
  };
  const nameError = roleNameError(name);
  if (nameError !== undefined) return invalid(`invalid role name - ${nameError}`);
  if (isBuiltInRole(name)) {
    warnings.push(`role [${name}] is reserved. the relevant role definition in the mapping file will be ignored`);
    return undefined;
  }
  if (!isJsonObject(body)) return invalid();
  let descriptor: RoleDescriptor;
  try {
    descriptor = parseRoleDescriptor(name, body, JSON.stringify(body));
  } catch (error) {
    // A parse error says what is wrong; anything else (an alias that makes the role contain itself) just fails.
    return invalid(error instanceof ElasticsearchError ? error.message : undefined);
  }
  const errors = roleDescriptorErrors(descriptor);
  return errors.length > 0 ? invalid(errors.join('; ')) : descriptor;
}

function roleSegments(text: string): string[] {
  const segments: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (SKIP_LINE.test(line)) continue;
    if (!IN_SEGMENT_LINE.test(line)) segments.push('');
    if (segments.length > 0) segments[segments.length - 1] += `${line}\n`;
  }
  return segments;
}

/** The role a segment that YAML cannot read was meant to define, for the warning: its first line's key. */
function segmentName(segment: string): string {
  const first = segment.split('\n')[0] ?? '';
  return first.replace(/:.*$/, '').trim().slice(0, 100);
}
