/**
 * What an API is, as plain data: its routes, its handler module, the table access its function is granted and
 * the privilege its requests are checked for. The CDK stack, the local API, the request pipeline's
 * authorization and the README's API table all read the entries of registry.ts, and nothing else.
 */

import type { ClusterAction } from '../security/authz/actions';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

/** DynamoDB item actions, by their IAM names without the `dynamodb:` prefix. */
type ItemAction = 'GetItem' | 'BatchGetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheckItem' | 'Scan';

/**
 * What a function may do to one table. IAM has no action of its own for TransactWriteItems: each write
 * in a transaction is authorized as its PutItem / UpdateItem / DeleteItem / ConditionCheckItem.
 */
export interface TableAccess {
  readonly items?: readonly ItemAction[];
  /**
   * Query on the table's indexes, each named (never on the table itself, never `index/*`): all of them, or only
   * those named.
   */
  readonly queryIndexes?: boolean | readonly string[];
}

/** The service's tables, by the ids the stack creates them under (infra/tables.ts checks it holds exactly these). */
export type TableId = 'tokens' | 'users' | 'roles' | 'roleMappings';

export type TablesAccess = { readonly [table in TableId]?: TableAccess };

export interface ApiEntry {
  /** What the API does, as the README's API table names it. */
  readonly title: string;
  /** Every method is routed on every path. */
  readonly methods: readonly HttpMethod[];
  /** API Gateway resource syntax: `{name}` is a path parameter, kept percent-encoded for the handler to decode. */
  readonly paths: readonly string[];
  /** The handler module, from the project root: it exports `createHandler` (built on a service) and `handler` (Lambda's). */
  readonly handler: string;
  /** Least privilege, declared beside the API: the CDK stack grants its function exactly this and nothing else. */
  readonly access: TablesAccess;
  /**
   * The cluster actions the pipeline authorizes a request for (ER-10), once the handler has read and validated
   * it: the first, unless the handler chooses among them by the request (a refresh, the caller's own password).
   */
  readonly privileges: readonly [ClusterAction, ...ClusterAction[]];
  /** When the handler's choice among the privileges needs saying (the README's API table shows it). */
  readonly privilegeNote?: string;
  /**
   * A function that continues its own work in the background (realm-wide invalidation) may invoke itself;
   * its asynchronous invocations get bounded retries, an on-failure destination (the stack's sweep failure
   * queue, which it may send to) and a schedule that resumes work whose runner stopped reporting.
   */
  readonly invokesItself?: boolean;
  /** Reads the secure settings of the SSO realms (their client secrets), so its function may read their secret. */
  readonly readsSecureSettings?: boolean;
  /** Invalidates tokens, so its function may put the revocation events on the stack's bus (tokens/revocation-events.ts). */
  readonly announcesRevocations?: boolean;
}

export interface Route<Id extends string = string> {
  readonly method: HttpMethod;
  readonly path: string;
  readonly function: Id;
}

/** Every method on every path of every entry, in the registry's order. */
export function routesOf<Id extends string>(apis: Readonly<Record<Id, ApiEntry>>): Route<Id>[] {
  return (Object.entries(apis) as [Id, ApiEntry][]).flatMap(([id, api]) =>
    api.paths.flatMap((path) => api.methods.map((method) => ({ method, path, function: id }))),
  );
}

/**
 * The routes in one line, as a function's description: `GET /_security/user[/{username}]` for a path with an
 * optional last segment, `PUT|POST /_security/user/{username}/_enable|_disable` for alternative last segments.
 */
export function describeRoutes({ methods, paths }: Pick<ApiEntry, 'methods' | 'paths'>): string {
  const [first, ...others] = [...paths].sort((a, b) => a.length - b.length);
  const lastSlash = (path: string) => path.lastIndexOf('/');
  const optional = others.length === 1 && others[0]?.startsWith(`${first}/`) && lastSlash(others[0]) === first?.length;
  let joined = paths.join(', ');
  if (others.length === 0) joined = first ?? '';
  else if (optional) joined = `${first}[${others[0]?.slice(first?.length)}]`;
  else if (paths.every((path) => path.slice(0, lastSlash(path)) === paths[0]?.slice(0, lastSlash(paths[0])))) {
    joined = `${paths[0]}|${paths
      .slice(1)
      .map((path) => path.slice(lastSlash(path) + 1))
      .join('|')}`;
  }
  return `${methods.join('|')} ${joined}`;
}

export interface RouteMatch<Id extends string = string> {
  readonly route: Route<Id>;
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
export function matchRoute<Id extends string>(
  routes: readonly Route<Id>[],
  method: string,
  path: string,
): RouteMatch<Id> | { methods: HttpMethod[] } | undefined {
  const onPath = routes.flatMap((route) => {
    const pathParameters = matchPath(route.path, path);
    return pathParameters === undefined ? [] : [{ route, pathParameters }];
  });
  if (onPath.length === 0) return undefined;
  // API Gateway picks the most specific resource first: `/_security/user/_privileges` is its own resource, not
  // `{username}`, and a method that resource lacks is refused there, not tried on the parameter.
  const specific = onPath.reduce((best, candidate) =>
    specificity(candidate.route.path) > specificity(best.route.path) ? candidate : best,
  );
  const onResource = onPath.filter(({ route }) => route.path === specific.route.path);
  return onResource.find(({ route }) => route.method === method) ?? { methods: onResource.map(({ route }) => route.method) };
}

/** Literal segments before parameters, from the left: `1` for a literal, `0` for `{parameter}`, compared as text. */
function specificity(template: string): string {
  return template
    .split('/')
    .map((part) => (part.startsWith('{') ? '0' : '1'))
    .join('');
}
