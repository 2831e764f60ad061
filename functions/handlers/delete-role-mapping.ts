import { esHandler } from '../http/es-handler';
import { requiredPathParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import { Actions, authorize } from '../security/authorization';
import { defaultService, type Service } from '../service';

/** `DELETE /_security/role_mapping/{name}` (RM-8): `{"found": bool}`, with 404 when there was no such mapping. */
export const createDeleteRoleMappingHandler = (service: () => Service) =>
  esHandler(service, { body: 'none', params: ['refresh'] }, async (event, { caller }, { roleMappings, roles }) => {
    const name = requiredPathParameter(event, 'name');
    await authorize(caller, Actions.deleteRoleMapping, roles);
    const found = await roleMappings.delete(name);
    return jsonResponse(found ? 200 : 404, { found });
  });

export const handler = createDeleteRoleMappingHandler(defaultService);
