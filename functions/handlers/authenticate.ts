import * as APIS from '../api/registry';
import type { Core } from '../composition/core';
import { functionService } from '../composition/function-service';
import { apiHandler } from '../http/api-handler';
import { jsonResponse } from '../http/responses';

/**
 * `GET /_security/_authenticate`: any authenticated caller may ask who it is (AU-1), as itself or as whom it
 * runs as; its privilege (every user's) still refuses a run-as the caller may not do.
 */
export const createHandler = (service: () => Core) =>
  apiHandler(service, APIS.authenticate, {
    body: 'none',
    parse: () => undefined,
    run: async (_request, { caller }) => jsonResponse(200, caller),
  });

export const handler = createHandler(functionService());
