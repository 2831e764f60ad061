import * as APIS from '../api/registry';
import { administrationOf } from '../composition/administration';
import { functionService } from '../composition/function-service';
import { apiHandler } from '../http/api-handler';
import { jsonResponse } from '../http/responses';
import { parseBulkDeleteRoles } from '../security/admin/bulk-roles';
import type { AdministrationService } from './shapes';

/** `DELETE /_security/role`: delete native roles, each reported as deleted, not_found or an error. */
export const createHandler = (service: () => AdministrationService) =>
  apiHandler(service, APIS.bulkDeleteRoles, {
    body: 'required',
    params: ['refresh'],
    parse: (event, { rawBody }) => parseBulkDeleteRoles(event.body, rawBody),
    run: async (names, _context, { bulkRoles }) => jsonResponse(200, await bulkRoles.delete(names)),
  });

export const handler = createHandler(functionService(administrationOf));
