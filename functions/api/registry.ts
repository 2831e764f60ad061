/**
 * The API registry: every API of the service is a handler module and one entry here. The CDK stack builds
 * each entry's function, role, log group and API Gateway methods from it; the local API routes with it; the
 * request pipeline authorizes each request for its entry's privilege; the README's API table is checked
 * against it (docs/adding-an-api.md). Plain data only: `cdk synth` reads it without loading a handler.
 */

import { Actions, GRANTED_BY } from '../security/authz/actions';
import { TOKEN_INDEXES } from '../store/tables';
import type { ApiEntry } from './api-entry';
import { CALLER } from './caller-access';
import {
  bulkDeleteRoles,
  bulkPutRoles,
  getBuiltinPrivileges,
  getUserPrivileges,
  hasPrivileges,
  queryRoles,
  queryUsers,
} from './role-and-privilege-apis';

export { bulkDeleteRoles, bulkPutRoles, getBuiltinPrivileges, getUserPrivileges, hasPrivileges, queryRoles, queryUsers };

/** An entry, by a call marked free of side effects: esbuild drops those a bundle never reads (a spread literal stays). */
/* @__NO_SIDE_EFFECTS__ */
function api<const E extends ApiEntry>(define: () => E): E {
  return define();
}

// The info API: the clients' first call and health checks.
export const info = api(() => ({
  title: 'Info',
  methods: ['GET', 'HEAD'],
  paths: ['/'],
  handler: 'functions/handlers/info.ts',
  // Only the caller is read (a Bearer token and its watermarks, one BatchGetItem); the answer reads nothing.
  access: { ...CALLER },
  privileges: [Actions.clusterInfo],
}));
export const getToken = api(() => ({
  title: 'Get token',
  methods: ['POST'],
  paths: ['/_security/oauth2/token'],
  handler: 'functions/handlers/get-token.ts',
  // Issue: one conditional PutItem. Refresh: a BatchGetItem of the old pair and its watermarks (also to
  // answer the losers of a refresh race), then a transaction of an UpdateItem (old pair), a PutItem (new
  // pair) and a ConditionCheckItem (no watermark of the old pair's scopes was written meanwhile).
  access: { ...CALLER, tokens: { items: ['BatchGetItem', 'PutItem', 'UpdateItem', 'ConditionCheckItem'] } },
  privileges: [Actions.createToken, Actions.refreshToken],
  privilegeNote: 'the second for the `refresh_token` grant',
}));
export const introspectToken = api(() => ({
  title: 'Introspect token (RFC 7662)',
  methods: ['POST'],
  paths: ['/oauth2/introspect'],
  handler: 'functions/handlers/introspect-token.ts',
  // The presented token and its watermarks: one BatchGetItem, as every Bearer caller is read.
  access: { ...CALLER },
  // Outside Elasticsearch's actions: granted by the token privileges, or to a role naming this action alone.
  privileges: [{ name: 'cluster:admin/xpack/security/token/introspect', grantedBy: GRANTED_BY.token }],
}));
export const invalidateToken = api(() => ({
  title: 'Invalidate token',
  methods: ['DELETE'],
  paths: ['/_security/oauth2/token'],
  handler: 'functions/handlers/invalidate-token.ts',
  // One half: a conditional UpdateItem. Realm/user-wide: the job record and the open-job list (a
  // transaction of a PutItem and an UpdateItem, then UpdateItems), the watermark (UpdateItem per shard),
  // Query on the indexes, an UpdateItem per pair, a GetItem to report a pair whose update failed and to
  // read the open-job list, a BatchGetItem for the open jobs' records; and a sweep out of time goes on in
  // an async self-invoke, whose failures go to the sweep failure queue.
  access: {
    ...CALLER,
    tokens: {
      items: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem'],
      queryIndexes: [TOKEN_INDEXES.realm.indexName, TOKEN_INDEXES.username.indexName],
    },
  },
  privileges: [Actions.invalidateToken],
  announcesRevocations: true,
  invokesItself: true,
}));
export const authenticate = api(() => ({
  title: 'Authenticate',
  methods: ['GET'],
  paths: ['/_security/_authenticate'],
  handler: 'functions/handlers/authenticate.ts',
  // A Bearer token is resolved by one strongly consistent BatchGetItem (the pair and its watermarks);
  // authenticating never writes. It authorizes nothing, but a run-as header reads the caller's native
  // roles for `run_as`.
  access: { ...CALLER },
  privileges: [Actions.authenticate],
}));
// Native realm: users and roles (contract §5).
export const putUser = api(() => ({
  title: 'Create or update user',
  methods: ['PUT', 'POST'],
  paths: ['/_security/user/{username}'],
  handler: 'functions/handlers/put-user.ts',
  access: { ...CALLER, users: { items: ['GetItem', 'PutItem', 'UpdateItem'] } },
  // `/_security/user/_password` is the caller's own change password (put-user.ts).
  privileges: [Actions.putUser, Actions.changePassword],
  privilegeNote: "the second for `_password`, the caller's own password, as Change password",
}));
export const getUsers = api(() => ({
  title: 'Get users',
  methods: ['GET'],
  paths: ['/_security/user/{username}', '/_security/user'],
  handler: 'functions/handlers/get-users.ts',
  access: { ...CALLER, users: { items: ['GetItem', 'Scan'] } },
  privileges: [Actions.getUsers],
}));
export const deleteUser = api(() => ({
  title: 'Delete user',
  methods: ['DELETE'],
  paths: ['/_security/user/{username}'],
  handler: 'functions/handlers/delete-user.ts',
  access: { ...CALLER, users: { items: ['GetItem', 'DeleteItem'] } },
  privileges: [Actions.deleteUser],
}));
export const changePassword = api(() => ({
  title: 'Change password',
  methods: ['PUT', 'POST'],
  paths: ['/_security/user/{username}/_password'],
  handler: 'functions/handlers/change-password.ts',
  access: { ...CALLER, users: { items: ['GetItem', 'UpdateItem'] } },
  privileges: [Actions.changePassword],
  privilegeNote: "none for the caller's own password",
}));
export const setUserEnabled = api(() => ({
  title: 'Enable or disable user',
  methods: ['PUT', 'POST'],
  paths: ['/_security/user/{username}/_enable', '/_security/user/{username}/_disable'],
  handler: 'functions/handlers/set-user-enabled.ts',
  access: { ...CALLER, users: { items: ['GetItem', 'UpdateItem'] } },
  privileges: [Actions.setUserEnabled],
}));
export const putRole = api(() => ({
  title: 'Create or update role',
  methods: ['PUT', 'POST'],
  paths: ['/_security/role/{name}'],
  handler: 'functions/handlers/put-role.ts',
  access: { ...CALLER, roles: { items: ['BatchGetItem', 'PutItem'] } },
  privileges: [Actions.putRole],
}));
export const getRoles = api(() => ({
  title: 'Get roles',
  methods: ['GET'],
  paths: ['/_security/role/{name}', '/_security/role'],
  handler: 'functions/handlers/get-roles.ts',
  access: { ...CALLER, roles: { items: ['GetItem', 'BatchGetItem', 'Scan'] } },
  privileges: [Actions.getRoles],
}));
export const deleteRole = api(() => ({
  title: 'Delete role',
  methods: ['DELETE'],
  paths: ['/_security/role/{name}'],
  handler: 'functions/handlers/delete-role.ts',
  access: { ...CALLER, roles: { items: ['BatchGetItem', 'DeleteItem'] } },
  privileges: [Actions.deleteRole],
}));
// OpenID Connect (es-sso-api.md §1).
export const oidcPrepare = api(() => ({
  title: 'OpenID Connect prepare authentication',
  methods: ['POST'],
  paths: ['/_security/oidc/prepare'],
  handler: 'functions/handlers/oidc-prepare.ts',
  // Stateless: the caller keeps state and nonce; nothing is read or written but the caller's identity.
  access: { ...CALLER },
  privileges: [Actions.oidcPrepare],
  readsSecureSettings: true,
}));
export const oidcAuthenticate = api(() => ({
  title: 'OpenID Connect authenticate',
  methods: ['POST'],
  paths: ['/_security/oidc/authenticate'],
  handler: 'functions/handlers/oidc-authenticate.ts',
  // The role mappings (a Scan), then the new pair: one conditional PutItem; a Bearer caller is read as
  // every caller is (the pair and its watermarks, one BatchGetItem).
  access: { ...CALLER, tokens: { items: ['BatchGetItem', 'PutItem'] }, roleMappings: { items: ['Scan'] } },
  privileges: [Actions.oidcAuthenticate],
  readsSecureSettings: true,
}));
export const oidcLogout = api(() => ({
  title: 'OpenID Connect logout',
  methods: ['POST'],
  paths: ['/_security/oidc/logout'],
  handler: 'functions/handlers/oidc-logout.ts',
  // The access token's pair is read with its watermarks (BatchGetItem), then its halves invalidated
  // (conditional UpdateItems, and a GetItem to read back one whose update failed).
  access: { ...CALLER, tokens: { items: ['BatchGetItem', 'GetItem', 'UpdateItem'] } },
  privileges: [Actions.oidcLogout],
  announcesRevocations: true,
  readsSecureSettings: true,
}));
// SAML (es-sso-api.md §2).
export const samlPrepare = api(() => ({
  title: 'SAML prepare authentication',
  methods: ['POST'],
  paths: ['/_security/saml/prepare'],
  handler: 'functions/handlers/saml-prepare.ts',
  // Stateless: the caller keeps the request id; nothing is read or written but the caller's identity.
  access: { ...CALLER },
  privileges: [Actions.samlPrepare],
  readsSecureSettings: true,
}));
export const samlAuthenticate = api(() => ({
  title: 'SAML authenticate',
  methods: ['POST'],
  paths: ['/_security/saml/authenticate'],
  handler: 'functions/handlers/saml-authenticate.ts',
  // As oidcAuthenticate: the role mappings (a Scan), then the new pair (one conditional PutItem).
  access: { ...CALLER, tokens: { items: ['BatchGetItem', 'PutItem'] }, roleMappings: { items: ['Scan'] } },
  privileges: [Actions.samlAuthenticate],
  readsSecureSettings: true,
}));
export const samlLogout = api(() => ({
  title: 'SAML logout',
  methods: ['POST'],
  paths: ['/_security/saml/logout'],
  handler: 'functions/handlers/saml-logout.ts',
  // As oidcLogout: the pair read with its watermarks, then its halves invalidated.
  access: { ...CALLER, tokens: { items: ['BatchGetItem', 'GetItem', 'UpdateItem'] } },
  privileges: [Actions.samlLogout],
  announcesRevocations: true,
  readsSecureSettings: true,
}));
export const samlInvalidate = api(() => ({
  title: 'SAML invalidate (IdP-initiated logout)',
  methods: ['POST'],
  paths: ['/_security/saml/invalidate'],
  handler: 'functions/handlers/saml-invalidate.ts',
  // The session's pairs from the SAML session index (Query), each invalidated (UpdateItem); the caller
  // read as every API reads it (BatchGetItem).
  access: { ...CALLER, tokens: { items: ['BatchGetItem', 'UpdateItem'], queryIndexes: [TOKEN_INDEXES.samlSession.indexName] } },
  privileges: [Actions.samlInvalidate],
  announcesRevocations: true,
  readsSecureSettings: true,
}));
export const samlCompleteLogout = api(() => ({
  title: 'SAML complete logout',
  methods: ['POST'],
  paths: ['/_security/saml/complete_logout'],
  handler: 'functions/handlers/saml-complete-logout.ts',
  // Checks the IdP's LogoutResponse against the caller's ids: no storage but the caller's identity.
  access: { ...CALLER },
  privileges: [Actions.samlCompleteLogout],
  readsSecureSettings: true,
}));
export const samlMetadata = api(() => ({
  title: 'SAML service provider metadata',
  methods: ['GET'],
  paths: ['/_security/saml/metadata/{realm_name}'],
  handler: 'functions/handlers/saml-metadata.ts',
  access: { ...CALLER },
  privileges: [Actions.samlMetadata],
  readsSecureSettings: true,
}));
// Role mappings: the roles of single sign-on users (es-sso-api.md §3).
export const putRoleMapping = api(() => ({
  title: 'Create or update role mapping',
  methods: ['PUT', 'POST'],
  paths: ['/_security/role_mapping/{name}'],
  handler: 'functions/handlers/put-role-mapping.ts',
  access: { ...CALLER, roleMappings: { items: ['PutItem'] } },
  privileges: [Actions.putRoleMapping],
}));
export const getRoleMappings = api(() => ({
  title: 'Get role mappings',
  methods: ['GET'],
  paths: ['/_security/role_mapping/{name}', '/_security/role_mapping'],
  handler: 'functions/handlers/get-role-mappings.ts',
  access: { ...CALLER, roleMappings: { items: ['BatchGetItem', 'Scan'] } },
  privileges: [Actions.getRoleMappings],
}));
export const deleteRoleMapping = api(() => ({
  title: 'Delete role mapping',
  methods: ['DELETE'],
  paths: ['/_security/role_mapping/{name}'],
  handler: 'functions/handlers/delete-role-mapping.ts',
  access: { ...CALLER, roleMappings: { items: ['DeleteItem'] } },
  privileges: [Actions.deleteRoleMapping],
}));

/** Every API, in the order of the README's table and of the stack's functions. */
export const APIS = {
  info,
  getToken,
  introspectToken,
  invalidateToken,
  authenticate,
  putUser,
  getUsers,
  deleteUser,
  changePassword,
  setUserEnabled,
  putRole,
  getRoles,
  deleteRole,
  getUserPrivileges,
  hasPrivileges,
  bulkPutRoles,
  bulkDeleteRoles,
  queryUsers,
  queryRoles,
  getBuiltinPrivileges,
  oidcPrepare,
  oidcAuthenticate,
  oidcLogout,
  samlPrepare,
  samlAuthenticate,
  samlLogout,
  samlInvalidate,
  samlCompleteLogout,
  samlMetadata,
  putRoleMapping,
  getRoleMappings,
  deleteRoleMapping,
} as const satisfies Record<string, ApiEntry>;

export type ApiId = keyof typeof APIS;
