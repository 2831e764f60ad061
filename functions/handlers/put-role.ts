import { esHandler } from '../http/es-handler';
import { requiredPathParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import { Actions, authorize } from '../security/authorization';
import { assertValidPutRoleRequest, parseRoleDescriptor } from '../security/role-requests';
import { defaultService, type Service } from '../service';

/** `PUT|POST /_security/role/{name}`: create or replace a native role, `{"role": {"created": bool}}`. */
export const createPutRoleHandler = (service: () => Service) =>
  esHandler(service, { body: 'required', params: ['refresh'] }, async (event, { caller, rawBody }, { nativeRoles, roles }) => {
    const name = requiredPathParameter(event, 'name');
    const descriptor = parseRoleDescriptor(name, event.body, rawBody);
    assertValidPutRoleRequest(name, descriptor);
    await authorize(caller, Actions.putRole, roles);
    return jsonResponse(200, await nativeRoles.put(name, descriptor));
  });

export const handler = createPutRoleHandler(defaultService);
