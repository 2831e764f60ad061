import type { ClusterPrivilege } from './roles';

/**
 * A role as the role API receives and shows it: `cluster` is what this service enforces; the other keys of
 * an Elasticsearch role descriptor (`indices`, `applications`, `run_as`, `metadata`, `description`, ...)
 * are kept as sent, so a role can be copied to or from an Elasticsearch cluster unchanged.
 */
export interface RoleDescriptor {
  readonly cluster: readonly ClusterPrivilege[];
  readonly [field: string]: unknown;
}

export interface NativeRole {
  readonly name: string;
  readonly descriptor: RoleDescriptor;
}

/** The storage of native roles; the DynamoDB adapter is store/dynamodb-role-store.ts. */
export interface RoleStore {
  get(name: string): Promise<NativeRole | undefined>;
  /** Those of `names` that exist, in one consistent read a hundred names, in no particular order. */
  getMany(names: readonly string[]): Promise<NativeRole[]>;
  /** Every role; with `maxItems`, at most one more than that (a bounded Scan). */
  list(maxItems?: number): Promise<NativeRole[]>;
  /** The cluster privileges of those of `names` that exist, in one consistent read. */
  clusterPrivileges(names: readonly string[]): Promise<Map<string, readonly ClusterPrivilege[]>>;
  /** Creates or replaces the role; true when it did not exist. */
  put(role: NativeRole): Promise<boolean>;
  /** Creates or replaces the role in one write; the role it replaced, if any (for bulk put's `updated` or `noop`). */
  replace(role: NativeRole): Promise<NativeRole | undefined>;
  /** False when there was no such role. */
  delete(name: string): Promise<boolean>;
}
