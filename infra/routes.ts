/**
 * The stack's and the local API's view of the API registry (functions/api/registry.ts): one Lambda function
 * per API and the routes to it, derived, so that what runs locally is routed exactly as what is deployed.
 */

import {
  type ApiEntry,
  describeRoutes,
  type HttpMethod,
  type ItemAction,
  matchRoute as matchIn,
  type Route,
  type RouteMatch,
  type TableAccess,
  type TablesAccess,
} from '../functions/api/api-entry';
import { API_ROUTES, APIS, type ApiId } from '../functions/api/registry';

export type { HttpMethod, ItemAction, Route, RouteMatch, TableAccess };

export interface FunctionDefinition {
  readonly entry: string;
  readonly description: string;
  readonly access: TablesAccess;
  readonly invokesItself?: boolean;
  readonly readsSecureSettings?: boolean;
  readonly announcesRevocations?: boolean;
}

export type FunctionId = ApiId;

const functionOf = (api: ApiEntry): FunctionDefinition => ({
  entry: api.handler,
  description: describeRoutes(api),
  access: api.access,
  ...(api.invokesItself && { invokesItself: true }),
  ...(api.readsSecureSettings && { readsSecureSettings: true }),
  ...(api.announcesRevocations && { announcesRevocations: true }),
});

/** One Lambda function per API, under the API's id. */
export const FUNCTIONS = Object.fromEntries(
  (Object.entries(APIS) as [ApiId, ApiEntry][]).map(([id, api]) => [id, functionOf(api)]),
) as Record<ApiId, FunctionDefinition>;

export const ROUTES: readonly Route<ApiId>[] = API_ROUTES;

/** The route for a request; `methods` lists what the path allows when only the method is wrong. */
export const matchRoute = (method: string, path: string) => matchIn(ROUTES, method, path);
