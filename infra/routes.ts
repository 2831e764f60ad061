/**
 * The route table, declared once: the CDK stack builds API Gateway resources and Lambda functions from
 * it, and the local API dispatches with it, so what runs locally is routed exactly as what is deployed.
 */

import type { TableId } from './tables';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** DynamoDB item actions, by their IAM names without the `dynamodb:` prefix. */
export type ItemAction = 'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheckItem';

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
  /** A function that continues its own work in the background (realm-wide invalidation) may invoke itself. */
  readonly invokesItself?: boolean;
}

/** One Lambda function per API. */
export const FUNCTIONS = {
  getToken: {
    entry: 'functions/handlers/get-token.ts',
    description: 'POST /_security/oauth2/token',
    // Issue: one conditional PutItem. Refresh: a transaction of an UpdateItem (old pair) and a PutItem
    // (new pair), and a GetItem to read the old pair and to answer the losers of a refresh race.
    access: { tokens: { items: ['GetItem', 'PutItem', 'UpdateItem'] } },
  },
  authenticate: {
    entry: 'functions/handlers/authenticate.ts',
    description: 'GET /_security/_authenticate',
    // A Bearer token is resolved by one strongly consistent GetItem; authenticating never writes.
    access: { tokens: { items: ['GetItem'] } },
  },
  invalidateToken: {
    entry: 'functions/handlers/invalidate-token.ts',
    description: 'DELETE /_security/oauth2/token',
    // One half: a conditional UpdateItem. Realm/user-wide: Query on the indexes, an UpdateItem per pair, a
    // GetItem to report a pair whose update failed; and a sweep out of time goes on in an async self-invoke.
    access: { tokens: { items: ['GetItem', 'UpdateItem'], queryIndexes: true } },
    invokesItself: true,
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
  { method: 'POST', path: '/_security/oauth2/token', function: 'getToken' },
  { method: 'DELETE', path: '/_security/oauth2/token', function: 'invalidateToken' },
  { method: 'GET', path: '/_security/_authenticate', function: 'authenticate' },
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
    if (parameter !== undefined && actual !== '') {
      const decoded = safeDecode(actual);
      if (decoded === undefined) return undefined;
      parameters[parameter] = decoded;
    } else if (part !== actual) return undefined;
  }
  return parameters;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
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
