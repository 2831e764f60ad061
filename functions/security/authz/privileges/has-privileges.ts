import { ActionRequestValidationError, ParseError } from '../../../errors';
import { isJsonObject, type JsonObject, requireObject } from '../../../json/json-fields';
import { tokenTypeOf } from '../../../request-content';
import { PatternBudget } from '../patterns/subset';
import type { RoleDescriptor } from '../role-store';
import { HeldClusterPrivileges } from './cluster-check';
import { HeldApplicationPrivileges, HeldIndexPrivileges } from './resource-check';

/** What `_has_privileges` asks (RoleDescriptor.parsePrivilegesToCheck). */
export interface PrivilegesToCheck {
  readonly cluster: readonly string[];
  readonly index: readonly { readonly names: readonly string[]; readonly privileges: readonly string[] }[];
  readonly application: readonly {
    readonly application: string;
    readonly privileges: readonly string[];
    readonly resources: readonly string[];
  }[];
}

/** `XContentUtils.readStringArray` as the role parser rewraps it: `failed to parse role [{user}]`. */
function stringList(user: string, field: string, value: unknown, what = 'role'): string[] {
  const list = typeof value === 'string' && field === 'names' ? [value] : value;
  if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) {
    throw new ParseError(
      `failed to parse ${what} [${user}]. could not parse [${field}] field. expected a string array but found [${tokenTypeOf(value)}] value instead`,
    );
  }
  return list;
}

function entries(user: string, field: string, value: unknown, kind: string): JsonObject[] {
  if (!Array.isArray(value)) {
    throw new ParseError(
      `failed to parse ${kind} privileges for role [${user}]. expected field [${field}] value to be an array, but found [${tokenTypeOf(value)}] instead`,
    );
  }
  return value.map((entry) => {
    if (isJsonObject(entry)) return entry;
    throw new ParseError(
      `failed to parse ${kind} privileges for role [${user}]. expected field [${field}] value to be an array of objects, but found an array element of type [${tokenTypeOf(entry)}]`,
    );
  });
}

/** Reads `fields` of an entry, refusing any other; each named one is required. */
function readEntry(user: string, entry: JsonObject, kind: string, fields: readonly string[], refused: readonly string[]) {
  for (const field of Object.keys(entry)) {
    if (refused.includes(field)) throw new ParseError(`Field [${field}] is not supported in a has_privileges request`);
    if (!fields.includes(field) && field !== 'allow_restricted_indices') {
      throw new ParseError(`failed to parse ${kind} privileges for role [${user}]. unexpected field [${field}]`);
    }
  }
  for (const field of fields) {
    if (!(field in entry))
      throw new ParseError(`failed to parse ${kind} privileges for role [${user}]. missing required [${field}] field`);
  }
}

export function parsePrivilegesToCheck(user: string, body: unknown, rawBody: string): PrivilegesToCheck {
  if (!isJsonObject(body)) {
    throw new ParseError(
      `failed to parse privileges check [${user}]. expected an object but found [${tokenTypeOf(body)}] instead`,
    );
  }
  const source = requireObject(body, rawBody);
  for (const field of Object.keys(source)) {
    if (!['cluster', 'index', 'application'].includes(field)) {
      throw new ParseError(`failed to parse privileges check [${user}]. unexpected field [${field}]`);
    }
  }
  if (Object.keys(source).length === 0) {
    throw new ParseError(
      `failed to parse privileges check [${user}]. All privilege fields [cluster,index,applications] are missing`,
    );
  }
  const index = source.index === undefined ? [] : entries(user, 'index', source.index, 'indices');
  const application = source.application === undefined ? [] : entries(user, 'application', source.application, 'application');
  const toCheck: PrivilegesToCheck = {
    cluster: source.cluster === undefined || source.cluster === null ? [] : stringList(user, 'cluster', source.cluster),
    index: index.map((entry) => {
      readEntry(user, entry, 'indices', ['names', 'privileges'], ['field_security', 'query']);
      return { names: stringList(user, 'names', entry.names), privileges: stringList(user, 'privileges', entry.privileges) };
    }),
    application: application.map((entry) => {
      readEntry(user, entry, 'application', ['application', 'privileges', 'resources'], []);
      if (typeof entry.application !== 'string') {
        throw new ParseError(
          `failed to parse application privileges for role [${user}]. expected field [application] value to be a string`,
        );
      }
      return {
        application: entry.application,
        privileges: stringList(user, 'privileges', entry.privileges),
        resources: stringList(user, 'resources', entry.resources),
      };
    }),
  };
  if (toCheck.cluster.length + toCheck.index.length + toCheck.application.length === 0) {
    throw new ActionRequestValidationError(['must specify at least one privilege']);
  }
  return toCheck;
}

type Answers = Record<string, boolean>;

/** Keys sorted as Java's TreeMap sorts them, values merged where a name was asked for twice. */
function sortedMerge(pairs: [string, Answers][]): Record<string, Answers> {
  const merged = new Map<string, Answers>();
  for (const [key, answers] of pairs) merged.set(key, { ...merged.get(key), ...answers });
  return Object.fromEntries([...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** HasPrivilegesResponse: each privilege asked for, held or not, by cluster, index and application resource. */
export function hasPrivileges(
  username: string,
  roles: readonly RoleDescriptor[],
  request: PrivilegesToCheck,
  budget = new PatternBudget(),
) {
  const cluster = new HeldClusterPrivileges(
    roles.flatMap((role) => role.cluster),
    budget,
  );
  const indices = new HeldIndexPrivileges(roles, budget);
  const applications = new HeldApplicationPrivileges(roles, budget);
  const clusterAnswers = Object.fromEntries(request.cluster.map((privilege) => [privilege, cluster.implies(privilege)]));
  const indexAnswers = sortedMerge(
    request.index.flatMap(({ names, privileges }) =>
      names.map((name): [string, Answers] => [name, indices.check(name, privileges)]),
    ),
  );
  // A Map, not an object: an application named `__proto__` is a key like any other.
  const applicationAnswers = new Map<string, Record<string, Answers>>();
  for (const { application, privileges, resources } of request.application) {
    const pairs = resources.map((resource): [string, Answers] => [
      resource,
      applications.check(application, resource, privileges),
    ]);
    applicationAnswers.set(application, sortedMerge([...Object.entries(applicationAnswers.get(application) ?? {}), ...pairs]));
  }
  const all = [clusterAnswers, ...Object.values(indexAnswers), ...[...applicationAnswers.values()].flatMap(Object.values)];
  return {
    username,
    has_all_requested: all.every((answers) => Object.values(answers).every(Boolean)),
    cluster: clusterAnswers,
    index: indexAnswers,
    application: Object.fromEntries(applicationAnswers),
  };
}
