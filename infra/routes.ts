/**
 * The stack's and the local API's view of the API registry (functions/api/registry.ts): one Lambda function
 * per API and the routes to it, derived, so that what runs locally is routed exactly as what is deployed.
 */

import {
  type ApiEntry,
  describeRoutes,
  type HttpMethod,
  matchRoute as matchIn,
  type Route,
  type RouteMatch,
  routesOf,
  type TableAccess,
  type TablesAccess,
} from '../functions/api/api-entry';
import { APIS, type ApiId } from '../functions/api/registry';

export type { HttpMethod, Route, RouteMatch, TableAccess };

export interface FunctionDefinition {
  readonly entry: string;
  readonly description: string;
  readonly access: TablesAccess;
  readonly invokesItself?: boolean;
  readonly readsSecureSettings?: boolean;
  /** Its API is a SAML one: the function carries the SAML library's layer (saml-library-layer.ts). */
  readonly samlLibrary?: boolean;
  readonly announcesRevocations?: boolean;
}

export type FunctionId = ApiId;

const functionOf = (api: ApiEntry): FunctionDefinition => ({
  entry: api.handler,
  description: describeRoutes(api),
  access: api.access,
  ...(api.invokesItself && { invokesItself: true }),
  ...(api.readsSecureSettings && { readsSecureSettings: true }),
  ...(api.privileges.some((action) => action.name.includes(SAML_ACTIONS)) && { samlLibrary: true }),
  ...(api.announcesRevocations && { announcesRevocations: true }),
});

/** In the actions of Elasticsearch's SAML APIs (`cluster:admin/xpack/security/saml/prepare`, `cluster:monitor/…/metadata`). */
const SAML_ACTIONS = '/xpack/security/saml/';

/** One Lambda function per API, under the API's id. */
export const FUNCTIONS = Object.fromEntries(
  (Object.entries(APIS) as [ApiId, ApiEntry][]).map(([id, api]) => [id, functionOf(api)]),
) as Record<ApiId, FunctionDefinition>;

/** Every method on every path of every API, in the registry's order. */
export const ROUTES: readonly Route<ApiId>[] = routesOf(APIS);

/** The route for a request; `methods` lists what the path allows when only the method is wrong. */
export const matchRoute = (method: string, path: string) => matchIn(ROUTES, method, path);
