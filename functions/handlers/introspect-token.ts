import * as APIS from '../api/registry';
import { introspect, introspectionRequest } from '../app/token-introspection';
import type { Core } from '../composition/core';
import { functionService } from '../composition/function-service';
import { apiHandler } from '../http/api-handler';
import type { FormBody } from '../http/es-handler';
import { jsonResponse } from '../http/responses';

/**
 * `POST /oauth2/introspect` (RFC 7662): a resource server (a gateway) asks whether an access token is active and
 * whose it is. The caller authenticates as any caller of the service and needs the introspect action.
 */
export const createHandler = (service: () => Core) =>
  apiHandler(service, APIS.introspectToken, {
    body: 'form',
    parse: (event) => introspectionRequest(event.body as FormBody),
    run: async ({ token }, _context, { tokens }) => jsonResponse(200, await introspect(tokens, token)),
  });

export const handler = createHandler(functionService());
