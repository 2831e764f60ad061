import { esHandler } from '../http/es-handler';
import { requiredPathParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import { Actions, authorize } from '../security/authorization';
import { defaultService, type Service } from '../service';

/** `DELETE /_security/user/{username}`: `{"found": bool}`, with 404 when there was no such user. */
export const createDeleteUserHandler = (service: () => Service) =>
  esHandler(service, { body: 'none', params: ['refresh'] }, async (event, { caller }, { users, roles }) => {
    const username = requiredPathParameter(event, 'username');
    await authorize(caller, Actions.deleteUser, roles);
    const found = await users.delete(username);
    return jsonResponse(found ? 200 : 404, { found });
  });

export const handler = createDeleteUserHandler(defaultService);
