import { esHandler } from '../http/es-handler';
import { requiredPathParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import { Actions, authorize } from '../security/authorization';
import { defaultService, type Service } from '../service';

/** `DELETE /_security/role/{name}`: `{"found": bool}`, with 404 when there was no such role. */
export const createDeleteRoleHandler = (service: () => Service) =>
  esHandler(service, { body: 'none', params: ['refresh'] }, async (event, { caller }, { nativeRoles, roles }) => {
    const name = requiredPathParameter(event, 'name');
    await authorize(caller, Actions.deleteRole, roles);
    const found = await nativeRoles.delete(name);
    return jsonResponse(found ? 200 : 404, { found });
  });

export const handler = createDeleteRoleHandler(defaultService);
