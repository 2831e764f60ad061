import * as APIS from '../api/registry';
import { administrationOf } from '../composition/administration';
import { functionService } from '../composition/function-service';
import { apiHandler } from '../http/api-handler';
import { jsonResponse } from '../http/responses';
import { parseBulkPutRoles } from '../security/admin/bulk-roles';
import type { AdministrationService } from './shapes';

/** `POST /_security/role`: create or replace native roles, each reported as created, updated, noop or an error. */
export const createHandler = (service: () => AdministrationService) =>
  apiHandler(service, APIS.bulkPutRoles, {
    body: 'required',
    params: ['refresh'],
    parse: (event, { rawBody }) => parseBulkPutRoles(event.body, rawBody),
    run: async (roles, _context, { bulkRoles }) => jsonResponse(200, await bulkRoles.put(roles)),
  });

export const handler = createHandler(functionService(administrationOf));
