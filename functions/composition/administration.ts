import { BulkRoles } from '../security/admin/bulk-roles';
import { NativeRoles } from '../security/admin/native-roles';
import { NativeUsers } from '../security/admin/native-users';
import { RoleMappings } from '../security/authz/role-mapping/role-mappings';
import { DynamoDbRoleMappingStore } from '../store/dynamodb-role-mapping-store';
import { perCore } from './core';

/** The administration APIs' part: the native realm's users, native roles and role mappings. */
export interface Administration {
  /** The user API (native realm). */
  readonly users: NativeUsers;
  /** The role API (native roles). */
  readonly nativeRoles: NativeRoles;
  /** Bulk put and delete of native roles. */
  readonly bulkRoles: BulkRoles;
  /** The role-mapping API, and the roles of SSO users. */
  readonly roleMappings: RoleMappings;
}

/** Role mappings: administered by their API, read by the single sign-on logins. */
export const roleMappingsOf = perCore(
  ({ config, documents }) =>
    new RoleMappings(new DynamoDbRoleMappingStore({ client: documents, tableName: config.roleMappingsTable })),
);

export const administrationOf = perCore(
  (core): Administration => ({
    users: new NativeUsers({ store: core.userStore, fileUsers: core.fileRealm, accountChanges: core.accountChanges }),
    nativeRoles: new NativeRoles(core.roleStore),
    bulkRoles: new BulkRoles(core.roleStore),
    roleMappings: roleMappingsOf(core),
  }),
);
