/**
 * The route table, declared once: the CDK stack builds API Gateway resources and Lambda functions from
 * it, and the local API dispatches with it, so what runs locally is routed exactly as what is deployed.
 */

import type { TableId } from './tables';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

/** DynamoDB item actions, by their IAM names without the `dynamodb:` prefix. */
export type ItemAction = 'GetItem' | 'BatchGetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheckItem' | 'Scan';

/**
 * What a function may do to one table. IAM has no action of its own for TransactWriteItems: each write
 * in a transaction is authorized as its PutItem / UpdateItem / DeleteItem / ConditionCheckItem.
 */
export interface TableAccess {
  readonly items?: readonly ItemAction[];
  /** Query on the table's indexes, each named (never on the table itself, never `index/*`). */
  readonly queryIndexes?: boolean;
}

export interface FunctionDefinition {
  readonly entry: string;
  readonly description: string;
  /** Least privilege, declared beside the function: the CDK stack grants exactly this and nothing else. */
  readonly access: { readonly [table in TableId]?: TableAccess };
  /**
   * A function that continues its own work in the background (realm-wide invalidation) may invoke itself;
   * its asynchronous invocations get bounded retries, an on-failure destination (the stack's sweep failure
   * queue, which it may send to) and a schedule that resumes work whose runner stopped reporting.
   */
  readonly invokesItself?: boolean;
}

/**
 * What every function needs to know its caller: Basic credentials may be a native user's (one GetItem), a
 * Bearer token is resolved with its revocation watermarks by one BatchGetItem, and authorizing may read
 * native roles (GetItem, or BatchGetItem for several).
 */
const CALLER = {
  tokens: { items: ['BatchGetItem'] },
  users: { items: ['GetItem'] },
  roles: { items: ['BatchGetItem'] },
} as const satisfies FunctionDefinition['access'];

/** One Lambda function per API. */
export const FUNCTIONS = {
  getToken: {
    entry: 'functions/handlers/get-token.ts',
    description: 'POST /_security/oauth2/token',
    // Issue: one conditional PutItem. Refresh: a BatchGetItem of the old pair and its watermarks (also to
    // answer the losers of a refresh race), then a transaction of an UpdateItem (old pair), a PutItem (new
    // pair) and a ConditionCheckItem (no watermark of the old pair's scopes was written meanwhile).
    access: { ...CALLER, tokens: { items: ['BatchGetItem', 'PutItem', 'UpdateItem', 'ConditionCheckItem'] } },
  },
  authenticate: {
    entry: 'functions/handlers/authenticate.ts',
    description: 'GET /_security/_authenticate',
    // A Bearer token is resolved by one strongly consistent BatchGetItem (the pair and its watermarks);
    // authenticating never writes. It authorizes nothing, but a run-as header reads the caller's native
    // roles for `run_as`.
    access: { ...CALLER },
  },
  invalidateToken: {
    entry: 'functions/handlers/invalidate-token.ts',
    description: 'DELETE /_security/oauth2/token',
    // One half: a conditional UpdateItem. Realm/user-wide: the job record and the open-job list (a
    // transaction of a PutItem and an UpdateItem, then UpdateItems), the watermark (UpdateItem per shard),
    // Query on the indexes, an UpdateItem per pair, a GetItem to report a pair whose update failed and to
    // read the open-job list, a BatchGetItem for the open jobs' records; and a sweep out of time goes on in
    // an async self-invoke, whose failures go to the sweep failure queue.
    access: {
      ...CALLER,
      tokens: { items: ['GetItem', 'BatchGetItem', 'PutItem', 'UpdateItem'], queryIndexes: true },
    },
    invokesItself: true,
  },
  putUser: {
    entry: 'functions/handlers/put-user.ts',
    description: 'PUT|POST /_security/user/{username}',
    access: { ...CALLER, users: { items: ['GetItem', 'PutItem', 'UpdateItem'] } },
  },
  getUsers: {
    entry: 'functions/handlers/get-users.ts',
    description: 'GET /_security/user[/{username}]',
    access: { ...CALLER, users: { items: ['GetItem', 'Scan'] } },
  },
  deleteUser: {
    entry: 'functions/handlers/delete-user.ts',
    description: 'DELETE /_security/user/{username}',
    access: { ...CALLER, users: { items: ['GetItem', 'DeleteItem'] } },
  },
  changePassword: {
    entry: 'functions/handlers/change-password.ts',
    description: 'PUT|POST /_security/user/{username}/_password',
    access: { ...CALLER, users: { items: ['GetItem', 'UpdateItem'] } },
  },
  setUserEnabled: {
    entry: 'functions/handlers/set-user-enabled.ts',
    description: 'PUT|POST /_security/user/{username}/_enable|_disable',
    access: { ...CALLER, users: { items: ['GetItem', 'UpdateItem'] } },
  },
  putRole: {
    entry: 'functions/handlers/put-role.ts',
    description: 'PUT|POST /_security/role/{name}',
    access: { ...CALLER, roles: { items: ['BatchGetItem', 'PutItem'] } },
  },
  getRoles: {
    entry: 'functions/handlers/get-roles.ts',
    description: 'GET /_security/role[/{name}]',
    access: { ...CALLER, roles: { items: ['GetItem', 'BatchGetItem', 'Scan'] } },
  },
  deleteRole: {
    entry: 'functions/handlers/delete-role.ts',
    description: 'DELETE /_security/role/{name}',
    access: { ...CALLER, roles: { items: ['BatchGetItem', 'DeleteItem'] } },
  },
  putRoleMapping: {
    entry: 'functions/handlers/put-role-mapping.ts',
    description: 'PUT|POST /_security/role_mapping/{name}',
    access: { ...CALLER, roleMappings: { items: ['PutItem'] } },
  },
  getRoleMappings: {
    entry: 'functions/handlers/get-role-mappings.ts',
    description: 'GET /_security/role_mapping[/{name}]',
    access: { ...CALLER, roleMappings: { items: ['BatchGetItem', 'Scan'] } },
  },
  deleteRoleMapping: {
    entry: 'functions/handlers/delete-role-mapping.ts',
    description: 'DELETE /_security/role_mapping/{name}',
    access: { ...CALLER, roleMappings: { items: ['DeleteItem'] } },
  },
  oidcPrepare: {
    entry: 'functions/handlers/oidc-prepare.ts',
    description: 'POST /_security/oidc/prepare',
    // Stateless: the caller keeps state and nonce; nothing is read or written but the caller's identity.
    access: { ...CALLER },
  },
  oidcAuthenticate: {
    entry: 'functions/handlers/oidc-authenticate.ts',
    description: 'POST /_security/oidc/authenticate',
    // The role mappings (a Scan), then the new pair: one conditional PutItem; a Bearer caller is read as
    // every caller is (the pair and its watermarks, one BatchGetItem).
    access: { ...CALLER, tokens: { items: ['BatchGetItem', 'PutItem'] }, roleMappings: { items: ['Scan'] } },
  },
  oidcLogout: {
    entry: 'functions/handlers/oidc-logout.ts',
    description: 'POST /_security/oidc/logout',
    // The access token's pair is read with its watermarks (BatchGetItem), then its halves invalidated
    // (conditional UpdateItems, and a GetItem to read back one whose update failed).
    access: { ...CALLER, tokens: { items: ['BatchGetItem', 'GetItem', 'UpdateItem'] } },
  },
  samlPrepare: {
    entry: 'functions/handlers/saml-prepare.ts',
    description: 'POST /_security/saml/prepare',
    // Stateless: the caller keeps the request id; nothing is read or written but the caller's identity.
    access: { ...CALLER },
  },
  samlAuthenticate: {
    entry: 'functions/handlers/saml-authenticate.ts',
    description: 'POST /_security/saml/authenticate',
    // As oidcAuthenticate: the role mappings (a Scan), then the new pair (one conditional PutItem).
    access: { ...CALLER, tokens: { items: ['BatchGetItem', 'PutItem'] }, roleMappings: { items: ['Scan'] } },
  },
  samlLogout: {
    entry: 'functions/handlers/saml-logout.ts',
    description: 'POST /_security/saml/logout',
    // As oidcLogout: the pair read with its watermarks, then its halves invalidated.
    access: { ...CALLER, tokens: { items: ['BatchGetItem', 'GetItem', 'UpdateItem'] } },
  },
  samlInvalidate: {
    entry: 'functions/handlers/saml-invalidate.ts',
    description: 'POST /_security/saml/invalidate',
    // The realm's pairs from the realm index (Query), each read (BatchGetItem) for its SAML session, and
    // the matching ones invalidated (UpdateItem).
    access: { ...CALLER, tokens: { items: ['BatchGetItem', 'UpdateItem'], queryIndexes: true } },
  },
  samlCompleteLogout: {
    entry: 'functions/handlers/saml-complete-logout.ts',
    description: 'POST /_security/saml/complete_logout',
    // Checks the IdP's LogoutResponse against the caller's ids: no storage but the caller's identity.
    access: { ...CALLER },
  },
  samlMetadata: {
    entry: 'functions/handlers/saml-metadata.ts',
    description: 'GET /_security/saml/metadata/{realm_name}',
    access: { ...CALLER },
  },
  info: {
    entry: 'functions/handlers/info.ts',
    description: 'GET|HEAD /',
    // Only the caller is read (a Bearer token and its watermarks, one BatchGetItem); the answer reads nothing.
    access: { ...CALLER },
  },
} as const satisfies Record<string, FunctionDefinition>;

export type FunctionId = keyof typeof FUNCTIONS;

export interface Route {
  readonly method: HttpMethod;
  /** API Gateway resource syntax: `{name}` is a path parameter. */
  readonly path: string;
  readonly function: FunctionId;
}

export const ROUTES: readonly Route[] = [
  // The info API: the clients' first call and health checks.
  { method: 'GET', path: '/', function: 'info' },
  { method: 'HEAD', path: '/', function: 'info' },
  { method: 'POST', path: '/_security/oauth2/token', function: 'getToken' },
  { method: 'DELETE', path: '/_security/oauth2/token', function: 'invalidateToken' },
  { method: 'GET', path: '/_security/_authenticate', function: 'authenticate' },
  // Native realm: users and roles (contract §5).
  { method: 'PUT', path: '/_security/user/{username}', function: 'putUser' },
  { method: 'POST', path: '/_security/user/{username}', function: 'putUser' },
  { method: 'GET', path: '/_security/user/{username}', function: 'getUsers' },
  { method: 'GET', path: '/_security/user', function: 'getUsers' },
  { method: 'DELETE', path: '/_security/user/{username}', function: 'deleteUser' },
  { method: 'PUT', path: '/_security/user/{username}/_password', function: 'changePassword' },
  { method: 'POST', path: '/_security/user/{username}/_password', function: 'changePassword' },
  { method: 'PUT', path: '/_security/user/{username}/_enable', function: 'setUserEnabled' },
  { method: 'POST', path: '/_security/user/{username}/_enable', function: 'setUserEnabled' },
  { method: 'PUT', path: '/_security/user/{username}/_disable', function: 'setUserEnabled' },
  { method: 'POST', path: '/_security/user/{username}/_disable', function: 'setUserEnabled' },
  { method: 'PUT', path: '/_security/role/{name}', function: 'putRole' },
  { method: 'POST', path: '/_security/role/{name}', function: 'putRole' },
  { method: 'GET', path: '/_security/role/{name}', function: 'getRoles' },
  { method: 'GET', path: '/_security/role', function: 'getRoles' },
  { method: 'DELETE', path: '/_security/role/{name}', function: 'deleteRole' },
  // OpenID Connect (es-sso-api.md §1).
  { method: 'POST', path: '/_security/oidc/prepare', function: 'oidcPrepare' },
  { method: 'POST', path: '/_security/oidc/authenticate', function: 'oidcAuthenticate' },
  { method: 'POST', path: '/_security/oidc/logout', function: 'oidcLogout' },
  // SAML (es-sso-api.md §2).
  { method: 'POST', path: '/_security/saml/prepare', function: 'samlPrepare' },
  { method: 'POST', path: '/_security/saml/authenticate', function: 'samlAuthenticate' },
  { method: 'POST', path: '/_security/saml/logout', function: 'samlLogout' },
  { method: 'POST', path: '/_security/saml/invalidate', function: 'samlInvalidate' },
  { method: 'POST', path: '/_security/saml/complete_logout', function: 'samlCompleteLogout' },
  { method: 'GET', path: '/_security/saml/metadata/{realm_name}', function: 'samlMetadata' },
  // Role mappings: the roles of single sign-on users (es-sso-api.md §3).
  { method: 'PUT', path: '/_security/role_mapping/{name}', function: 'putRoleMapping' },
  { method: 'POST', path: '/_security/role_mapping/{name}', function: 'putRoleMapping' },
  { method: 'GET', path: '/_security/role_mapping/{name}', function: 'getRoleMappings' },
  { method: 'GET', path: '/_security/role_mapping', function: 'getRoleMappings' },
  { method: 'DELETE', path: '/_security/role_mapping/{name}', function: 'deleteRoleMapping' },
];

export interface RouteMatch {
  readonly route: Route;
  readonly pathParameters: Record<string, string>;
}

function matchPath(template: string, path: string): Record<string, string> | undefined {
  const templateParts = template.split('/');
  const pathParts = path.split('/');
  if (templateParts.length !== pathParts.length) return undefined;
  const parameters: Record<string, string> = {};
  for (const [i, part] of templateParts.entries()) {
    const actual = pathParts[i] as string;
    const parameter = /^\{(\w+)\}$/.exec(part)?.[1];
    // Kept percent-encoded, as API Gateway's REST APIs pass path parameters; handlers decode them.
    if (parameter !== undefined && actual !== '') parameters[parameter] = actual;
    else if (part !== actual) return undefined;
  }
  return parameters;
}

/** The route for a request; `methods` lists what the path allows when only the method is wrong. */
export function matchRoute(method: string, path: string): RouteMatch | { methods: HttpMethod[] } | undefined {
  const onPath = ROUTES.flatMap((route) => {
    const pathParameters = matchPath(route.path, path);
    return pathParameters === undefined ? [] : [{ route, pathParameters }];
  });
  if (onPath.length === 0) return undefined;
  return onPath.find(({ route }) => route.method === method) ?? { methods: onPath.map(({ route }) => route.method) };
}
