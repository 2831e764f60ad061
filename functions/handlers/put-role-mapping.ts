import * as APIS from '../api/registry';
import { putRoleMappingChange } from '../audit/security-changes';
import { administrationOf } from '../composition/administration';
import { functionService } from '../composition/function-service';
import { apiHandler } from '../http/api-handler';
import { requiredPathParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import { assertValidRoleMapping, parseRoleMapping } from '../security/authz/role-mapping/mapping';
import type { AdministrationService } from './shapes';

/** `PUT|POST /_security/role_mapping/{name}` (RM-1..RM-4, RM-8): `{"role_mapping": {"created": bool}}`. */
export const createHandler = (service: () => AdministrationService) =>
  apiHandler(service, APIS.putRoleMapping, {
    body: 'required',
    params: ['refresh'],
    parse: (event, { rawBody }) => {
      const mapping = parseRoleMapping(requiredPathParameter(event, 'name'), event.body, rawBody);
      assertValidRoleMapping(mapping);
      return mapping;
    },
    securityChange: putRoleMappingChange,
    run: async (mapping, _context, { roleMappings }) => jsonResponse(200, await roleMappings.put(mapping)),
  });

export const handler = createHandler(functionService(administrationOf));
