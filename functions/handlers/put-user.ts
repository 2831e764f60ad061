import { esHandler } from '../http/es-handler';
import { requiredPathParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import { Actions, authorize } from '../security/authorization';
import { assertValidPutUserRequest, parsePutUserRequest } from '../security/user-requests';
import { defaultService, type Service } from '../service';

/** `PUT|POST /_security/user/{username}`: create or update a native user, `{"created": bool}`. */
export const createPutUserHandler = (service: () => Service) =>
  esHandler(service, { body: 'required', params: ['refresh'] }, async (event, { caller, rawBody }, { users, roles }) => {
    const request = parsePutUserRequest(requiredPathParameter(event, 'username'), event.body, rawBody);
    assertValidPutUserRequest(request);
    await authorize(caller, Actions.putUser, roles);
    return jsonResponse(200, await users.put(request));
  });

export const handler = createPutUserHandler(defaultService);
