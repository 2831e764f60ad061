import { esHandler } from '../http/es-handler';
import { requiredPathParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import { Actions, authorize } from '../security/authorization';
import { assertValidRoleMapping, parseRoleMapping } from '../security/role-mapping/mapping';
import { defaultService, type Service } from '../service';

/** `PUT|POST /_security/role_mapping/{name}` (RM-1..RM-4, RM-8): `{"role_mapping": {"created": bool}}`. */
export const createPutRoleMappingHandler = (service: () => Service) =>
  esHandler(service, { body: 'required', params: ['refresh'] }, async (event, { caller, rawBody }, { roleMappings, roles }) => {
    const mapping = parseRoleMapping(requiredPathParameter(event, 'name'), event.body, rawBody);
    assertValidRoleMapping(mapping);
    await authorize(caller, Actions.putRoleMapping, roles);
    return jsonResponse(200, await roleMappings.put(mapping));
  });

export const handler = createPutRoleMappingHandler(defaultService);
