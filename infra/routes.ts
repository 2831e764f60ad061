/**
 * The route table, declared once: the CDK stack builds API Gateway resources and Lambda functions from
 * it, and the local API dispatches with it, so what runs locally is routed exactly as what is deployed.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One Lambda function per API. */
export const FUNCTIONS = {
  getToken: { entry: 'functions/handlers/get-token.ts', description: 'POST /_security/oauth2/token' },
  authenticate: { entry: 'functions/handlers/authenticate.ts', description: 'GET /_security/_authenticate' },
  putUser: { entry: 'functions/handlers/put-user.ts', description: 'PUT|POST /_security/user/{username}' },
  getUsers: { entry: 'functions/handlers/get-users.ts', description: 'GET /_security/user[/{username}]' },
  deleteUser: { entry: 'functions/handlers/delete-user.ts', description: 'DELETE /_security/user/{username}' },
  changePassword: {
    entry: 'functions/handlers/change-password.ts',
    description: 'PUT|POST /_security/user/{username}/_password',
  },
  setUserEnabled: {
    entry: 'functions/handlers/set-user-enabled.ts',
    description: 'PUT|POST /_security/user/{username}/_enable|_disable',
  },
  putRole: { entry: 'functions/handlers/put-role.ts', description: 'PUT|POST /_security/role/{name}' },
  getRoles: { entry: 'functions/handlers/get-roles.ts', description: 'GET /_security/role[/{name}]' },
  deleteRole: { entry: 'functions/handlers/delete-role.ts', description: 'DELETE /_security/role/{name}' },
} as const;

export type FunctionId = keyof typeof FUNCTIONS;

export interface Route {
  readonly method: HttpMethod;
  /** API Gateway resource syntax: `{name}` is a path parameter. */
  readonly path: string;
  readonly function: FunctionId;
}

export const ROUTES: readonly Route[] = [
  { method: 'POST', path: '/_security/oauth2/token', function: 'getToken' },
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
