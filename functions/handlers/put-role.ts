import * as APIS from '../api/registry';
import { putRoleChange } from '../audit/security-changes';
import { administrationOf } from '../composition/administration';
import { functionService } from '../composition/function-service';
import { apiHandler } from '../http/api-handler';
import { requiredPathParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import { assertValidPutRoleRequest, parseRoleDescriptor } from '../security/authz/role-requests';
import type { AdministrationService } from './shapes';

/** `PUT|POST /_security/role/{name}`: create or replace a native role, `{"role": {"created": bool}}`. */
export const createHandler = (service: () => AdministrationService) =>
  apiHandler(service, APIS.putRole, {
    body: 'required',
    params: ['refresh'],
    parse: (event, { rawBody }) => {
      const name = requiredPathParameter(event, 'name');
      const descriptor = parseRoleDescriptor(name, event.body, rawBody);
      assertValidPutRoleRequest(name, descriptor);
      return { name, descriptor };
    },
    securityChange: ({ name, descriptor }) => putRoleChange(name, descriptor),
    run: async ({ name, descriptor }, _context, { nativeRoles }) => jsonResponse(200, await nativeRoles.put(name, descriptor)),
  });

export const handler = createHandler(functionService(administrationOf));
