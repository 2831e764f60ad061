import { IllegalArgumentError } from '../../../errors';

/**
 * The fields a query may name (Elasticsearch's FieldNameTranslators for users and roles): anything else is refused,
 * so a query cannot reach what the index holds beside them (a password hash, a document of another type).
 */
export interface QueryFields {
  /** The field that is the item's key (username, name): `ids` and `term`/`terms` on it are read by key. */
  readonly key: string;
  /** Each allowed field: `text` when Elasticsearch maps it as analyzed text; `sortable` when it may be sorted on. */
  readonly fields: ReadonlyMap<string, { readonly text: boolean; readonly sortable: boolean }>;
  /** A flattened object field (role `metadata`): it and any sub-field under it may be queried, not sorted on. */
  readonly flattened?: string;
}

export const USER_QUERY_FIELDS: QueryFields = {
  key: 'username',
  fields: new Map([
    ['username', { text: false, sortable: true }],
    ['roles', { text: false, sortable: true }],
    ['enabled', { text: false, sortable: true }],
    ['full_name', { text: true, sortable: false }],
    ['email', { text: true, sortable: false }],
  ]),
};

export const ROLE_QUERY_FIELDS: QueryFields = {
  key: 'name',
  fields: new Map([
    ['name', { text: false, sortable: true }],
    ['description', { text: true, sortable: true }],
    ['applications.application', { text: false, sortable: true }],
    ['applications.resources', { text: false, sortable: true }],
    ['applications.privileges', { text: false, sortable: true }],
  ]),
  flattened: 'metadata',
};

/** `Regex.isSimpleMatchPattern` */
const isPattern = (name: string) => name.includes('*');

function isFlattened(fields: QueryFields, name: string): boolean {
  return fields.flattened !== undefined && (name === fields.flattened || name.startsWith(`${fields.flattened}.`));
}

/** `FieldNameTranslators.translate`: the field, or Elasticsearch's refusal. */
export function queryField(fields: QueryFields, name: string): string {
  if (isPattern(name)) throw new IllegalArgumentError(`Field name pattern [${name}] is not allowed for querying or aggregation`);
  if (fields.fields.has(name) || isFlattened(fields, name)) return name;
  throw new IllegalArgumentError(`Field [${name}] is not allowed for querying or aggregation`);
}

export function sortField(fields: QueryFields, name: string): string {
  const field = queryField(fields, name);
  if (fields.fields.get(field)?.sortable !== true && !isFlattened(fields, field)) {
    throw new IllegalArgumentError(`sorting is not supported for field [${name}]`);
  }
  return field;
}

export const isTextField = (fields: QueryFields, name: string) => fields.fields.get(name)?.text === true;

/** The allowed fields a pattern (`simple_query_string`'s `fields`) stands for; unknown ones are left out. */
export function fieldsMatching(fields: QueryFields, pattern: string, matches: (name: string) => boolean): string[] {
  const named = [...fields.fields.keys()].filter(matches);
  if (fields.flattened !== undefined && (matches(fields.flattened) || (!isPattern(pattern) && isFlattened(fields, pattern)))) {
    named.push(isPattern(pattern) ? fields.flattened : pattern);
  }
  return named;
}
