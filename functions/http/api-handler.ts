import type { APIGatewayProxyResult } from 'aws-lambda';
import type { ApiEntry } from '../api/api-entry';
import { auditedAuthorization } from '../audit/pipeline-audit';
import type { SecurityChange } from '../audit/security-changes';
import type { Authentication } from '../security/authc/authentication';
import type { ClusterAction } from '../security/authz/actions';
import { authorize } from '../security/authz/authorization';
import type { RoleRegistry } from '../security/authz/roles';
import { assertRunAsPermitted } from '../security/authz/run-as';
import {
  type EsContext,
  type EsEvent,
  type EsHandlerOptions,
  esHandler,
  type PipelineService,
  type ProxyHandler,
} from './es-handler';

/**
 * An API's handler: how it reads its request, and what it does with it. Between the two the pipeline
 * authorizes the request for its registry entry's privilege (ER-10), after the validation as Elasticsearch
 * does (its TransportAction validates a request before the security filter sees it): a caller without the
 * privilege still learns what is wrong with its request, and nothing more.
 */
export interface ApiDefinition<R, S> extends EsHandlerOptions {
  /** Reads and validates the request (path, query, body). */
  readonly parse: (event: EsEvent, context: EsContext, service: S) => R | Promise<R>;
  /**
   * A request-dependent check: which of the entry's privileges this request needs, or `undefined` when it needs
   * none (the caller's own password). Without it, the entry's first privilege.
   */
  readonly privilege?: (request: R, caller: Authentication) => ClusterAction | undefined;
  readonly run: (request: R, context: EsContext, service: S) => Promise<APIGatewayProxyResult>;
  /** The security configuration this request changes, audited once it is authorized (security_config_change). */
  readonly securityChange?: (request: R) => SecurityChange;
}

export type ApiService = PipelineService & { readonly roles: RoleRegistry };

/** The authorization of every API, in one place: the privilege its registry entry names, for this request. */
async function authorizeRequest<R, S extends ApiService>(
  entry: ApiEntry,
  api: ApiDefinition<R, S>,
  request: R,
  { caller, audit }: EsContext,
  { roles }: S,
): Promise<void> {
  const action = api.privilege === undefined ? entry.privileges[0] : api.privilege(request, caller);
  if (action !== undefined && !entry.privileges.includes(action))
    throw new Error(`${entry.title} checks [${action.name}], which its entry does not name`);
  // No privilege to check (the caller's own password) is still the entry's action, granted by the same-user check;
  // but a run-as is authorized first, whatever the action, as in Elasticsearch's AuthorizationService: a refused
  // run-as must not reach the same-user check as its target.
  const checked = action ?? entry.privileges.at(-1) ?? entry.privileges[0];
  await auditedAuthorization(audit, caller, checked.name, async () => {
    if (action !== undefined) await authorize(caller, action, roles);
    else assertRunAsPermitted(caller, checked.name);
  });
  if (audit !== undefined && api.securityChange !== undefined) audit.securityChange(api.securityChange(request));
}

/**
 * An API's function: the shared pipeline (es-handler.ts), then parse, authorize, run. It is given its registry
 * entry, so the compiler checks the entry exists and no request needs looking up by its route.
 */
export function apiHandler<R, S extends ApiService>(service: () => S, entry: ApiEntry, api: ApiDefinition<R, S>): ProxyHandler {
  return esHandler(service, api, async (event, context, services) => {
    const request = await api.parse(event, context, services);
    await authorizeRequest(entry, api, request, context, services);
    return api.run(request, context, services);
  });
}
