import { ContentParseError, ElasticsearchError, IllegalArgumentError } from '../../errors';
import { isJsonObject, requireObject, stringArrayField } from '../../json/json-fields';
import { positionOf, tokenTypeOf } from '../../request-content';
import { assertValidPutRoleRequest, parseRoleDescriptor } from '../authz/role-requests';
import type { NativeRole, RoleDescriptor, RoleStore } from '../authz/role-store';
import { isBuiltInRole } from '../authz/roles';
import { isValidName } from '../validation';

/**
 * Bulk put and bulk delete of native roles (Elasticsearch's NativeRolesStore `putRoles` and `deleteRoles`): each
 * role is validated on its own, so one bad role is reported in `errors` while the others are written, and each
 * written role is reported by what its write did.
 */

type Outcome = 'created' | 'updated' | 'noop' | 'deleted' | 'not_found';

/** A role's failure as `ElasticsearchException.generateThrowableXContent` writes it. */
interface ItemError {
  readonly type: string;
  readonly reason: string;
}

export type BulkRolesAnswer = Partial<Record<Outcome, string[]>> & {
  errors?: { count: number; details: Record<string, ItemError> };
};

/**
 * `BulkRolesResponse.toXContent` groups the results in a Java HashMap, so its keys come in the order of their
 * hash buckets: noop, deleted, created, not_found, updated, errors. Clients read them by name; the order is kept
 * so that an answer compares equal to Elasticsearch's byte for byte.
 */
const KEY_ORDER: readonly (Outcome | 'errors')[] = ['noop', 'deleted', 'created', 'not_found', 'updated', 'errors'];

type ItemResult = { readonly name: string } & ({ readonly outcome: Outcome } | { readonly error: ItemError });

function answerOf(results: readonly ItemResult[]): BulkRolesAnswer {
  const grouped: Record<string, unknown> = {};
  for (const key of KEY_ORDER) {
    const items = results.filter((result) => ('error' in result ? key === 'errors' : result.outcome === key));
    if (items.length === 0) continue;
    grouped[key] =
      key === 'errors'
        ? { count: items.length, details: Object.fromEntries(items.map((item) => [item.name, 'error' in item && item.error])) }
        : items.map((item) => item.name);
  }
  return grouped as BulkRolesAnswer;
}

const itemError = (error: unknown): ItemError => {
  if (error instanceof ElasticsearchError) return { type: error.type, reason: error.reason };
  throw error;
};

/** `BulkPutRoleRequestBuilder`: `{"roles": {name: role, ...}}`; a role that does not parse fails the request. */
export function parseBulkPutRoles(body: unknown, rawBody: string): NativeRole[] {
  const source = requireObject(body, rawBody);
  for (const field of Object.keys(source)) {
    if (field !== 'roles') {
      throw new ContentParseError(`${positionOf(rawBody, field)} [bulk_update_roles_request_payload] unknown field [${field}]`);
    }
  }
  const roles = source.roles ?? {};
  if (!isJsonObject(roles)) {
    throw new ContentParseError(
      `${positionOf(rawBody, 'roles')} [bulk_update_roles_request_payload] roles doesn't support values of type: ${tokenTypeOf(roles)}`,
    );
  }
  return Object.entries(roles).map(([name, role]) => ({ name, descriptor: parseRoleDescriptor(name, role, rawBody) }));
}

/** `RestBulkDeleteRolesAction`: `{"names": [...]}`, required. */
export function parseBulkDeleteRoles(body: unknown, rawBody: string): string[] {
  const source = requireObject(body, rawBody);
  for (const field of Object.keys(source)) {
    if (field !== 'names') {
      throw new ContentParseError(`${positionOf(rawBody, field)} [bulk_delete_roles_request_payload] unknown field [${field}]`);
    }
  }
  if (!('names' in source)) throw new ContentParseError('[1:1] Required [names]');
  return stringArrayField('names', source.names);
}

/** Same fields in the same order: what Elasticsearch's upsert finds unchanged (`noop`). */
const sameDescriptor = (a: RoleDescriptor, b: RoleDescriptor) => JSON.stringify(a) === JSON.stringify(b);

/** Writes at a time: each is one PutItem or DeleteItem, so a large bulk stays a bounded burst. */
const PARALLEL_WRITES = 10;

async function inBatches<T, R>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += PARALLEL_WRITES) {
    results.push(...(await Promise.all(items.slice(start, start + PARALLEL_WRITES).map(run))));
  }
  return results;
}

export class BulkRoles {
  constructor(private readonly store: RoleStore) {}

  /** Each role validated as put role validates it (its failure an item of `errors`), then written by one PutItem. */
  async put(roles: readonly NativeRole[]): Promise<BulkRolesAnswer> {
    const results = await inBatches(roles, async ({ name, descriptor }): Promise<ItemResult> => {
      try {
        assertValidPutRoleRequest(name, descriptor);
        const replaced = await this.store.replace({ name, descriptor });
        if (replaced === undefined) return { name, outcome: 'created' };
        return { name, outcome: sameDescriptor(replaced.descriptor, descriptor) ? 'noop' : 'updated' };
      } catch (error) {
        return { name, error: itemError(error) };
      }
    });
    return answerOf(results);
  }

  /** The built-in role is an error item; a name that cannot be a role's is simply not found. */
  async delete(names: readonly string[]): Promise<BulkRolesAnswer> {
    const results = await inBatches(names, async (name): Promise<ItemResult> => {
      try {
        if (isBuiltInRole(name)) throw new IllegalArgumentError(`role [${name}] is reserved and cannot be deleted`);
        const found = isValidName(name) && (await this.store.delete(name));
        return { name, outcome: found ? 'deleted' : 'not_found' };
      } catch (error) {
        return { name, error: itemError(error) };
      }
    });
    return answerOf(results);
  }
}
