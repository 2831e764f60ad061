import { Actions, GRANTED_BY } from '../security/authz/actions';
import type { ApiEntry } from './api-entry';
import { CALLER } from './caller-access';

/** As registry.ts's: an entry by a call marked free of side effects, so a bundle that never reads it drops it. */
/* @__NO_SIDE_EFFECTS__ */
function api<const E extends ApiEntry>(define: () => E): E {
  return define();
}

/**
 * The registry's entries (registry.ts) for the privilege APIs, bulk roles and the user and role queries, each a
 * self-contained entry: what the caller may do, roles written or deleted in bulk, and searches of users and roles.
 */

export const getUserPrivileges = api(() => ({
  title: 'Get user privileges',
  methods: ['GET'],
  paths: ['/_security/user/_privileges'],
  handler: 'functions/handlers/get-user-privileges.ts',
  // The caller's roles, whole: native ones by one BatchGetItem a hundred (built-in and file roles from memory).
  access: { ...CALLER },
  // Every user may ask what it may do (RBACEngine's same-user check): only a refused run-as stops it.
  privileges: [{ name: 'cluster:admin/xpack/security/user/list_privileges', grantedBy: GRANTED_BY.security, everyUser: true }],
}));

export const hasPrivileges = api(() => ({
  title: 'Has privileges',
  methods: ['GET', 'POST'],
  paths: ['/_security/user/_has_privileges', '/_security/user/{username}/_has_privileges'],
  handler: 'functions/handlers/has-privileges.ts',
  // The caller's roles, whole (one BatchGetItem a hundred native roles); the patterns are compared in memory.
  access: { ...CALLER },
  // Every user may ask about itself (RBACEngine's same-user check): only a refused run-as stops it. Naming
  // another user needs the privilege, and is then refused by the API (TransportHasPrivilegesAction).
  privileges: [Actions.hasOwnPrivileges, Actions.hasPrivilegesOfOthers],
  privilegeNote: 'the second for another user named in the path',
}));

export const bulkPutRoles = api(() => ({
  title: 'Bulk create or update roles',
  methods: ['POST'],
  paths: ['/_security/role'],
  handler: 'functions/handlers/bulk-put-roles.ts',
  // One PutItem a role (returning the role it replaced, for `updated` or `noop`), ten at a time.
  access: { ...CALLER, roles: { items: ['BatchGetItem', 'PutItem'] } },
  privileges: [{ name: 'cluster:admin/xpack/security/role/bulk_put', grantedBy: GRANTED_BY.security }],
}));

export const bulkDeleteRoles = api(() => ({
  title: 'Bulk delete roles',
  methods: ['DELETE'],
  paths: ['/_security/role'],
  handler: 'functions/handlers/bulk-delete-roles.ts',
  // One DeleteItem a role (returning what it deleted, for `deleted` or `not_found`), ten at a time.
  access: { ...CALLER, roles: { items: ['BatchGetItem', 'DeleteItem'] } },
  privileges: [{ name: 'cluster:admin/xpack/security/role/bulk_delete', grantedBy: GRANTED_BY.security }],
}));

export const queryUsers = api(() => ({
  title: 'Query users',
  methods: ['GET', 'POST'],
  paths: ['/_security/_query/user'],
  handler: 'functions/handlers/query-users.ts',
  // A query naming users by key: BatchGetItem (a hundred keys a call); any other: a Scan bounded to 10,000 items.
  access: { ...CALLER, users: { items: ['GetItem', 'BatchGetItem', 'Scan'] } },
  privileges: [{ name: 'cluster:admin/xpack/security/user/query', grantedBy: GRANTED_BY.readSecurity }],
}));

export const queryRoles = api(() => ({
  title: 'Query roles',
  methods: ['GET', 'POST'],
  paths: ['/_security/_query/role'],
  handler: 'functions/handlers/query-roles.ts',
  // As queryUsers: BatchGetItem for a query by name, otherwise a Scan bounded to 10,000 items.
  access: { ...CALLER, roles: { items: ['BatchGetItem', 'Scan'] } },
  privileges: [{ name: 'cluster:admin/xpack/security/role/query', grantedBy: GRANTED_BY.readSecurity }],
}));

export const getBuiltinPrivileges = api(() => ({
  title: 'Get builtin privileges',
  methods: ['GET'],
  paths: ['/_security/privilege/_builtin'],
  handler: 'functions/handlers/get-builtin-privileges.ts',
  // A constant answer: nothing is read but the caller.
  access: { ...CALLER },
  privileges: [{ name: 'cluster:admin/xpack/security/privilege/builtin/get', grantedBy: GRANTED_BY.readSecurity }],
}));
