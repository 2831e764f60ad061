import type { RoleMapping } from './mapping';

/** The storage of role mappings; the DynamoDB adapter is store/dynamodb-role-mapping-store.ts. */
export interface RoleMappingStore {
  /** Those of `names` that exist, in no particular order. */
  getMany(names: readonly string[]): Promise<RoleMapping[]>;
  list(): Promise<RoleMapping[]>;
  /** Creates or replaces the mapping; true when it did not exist. */
  put(mapping: RoleMapping): Promise<boolean>;
  /** False when there was no such mapping. */
  delete(name: string): Promise<boolean>;
}
