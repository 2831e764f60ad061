/**
 * The route table, declared once: the CDK stack builds API Gateway resources and Lambda functions from
 * it, and the local API dispatches with it, so what runs locally is routed exactly as what is deployed.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One Lambda function per API. */
export const FUNCTIONS = {
  getToken: { entry: 'functions/handlers/get-token.ts', description: 'POST /_security/oauth2/token' },
  authenticate: { entry: 'functions/handlers/authenticate.ts', description: 'GET /_security/_authenticate' },
  invalidateToken: { entry: 'functions/handlers/invalidate-token.ts', description: 'DELETE /_security/oauth2/token' },
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
