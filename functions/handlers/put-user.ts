import { esHandler } from '../http/es-handler';
import { requiredPathParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import { Actions, authorize } from '../security/authorization';
import { assertValidPutUserRequest, parsePutUserRequest } from '../security/user-requests';
import { defaultService, type Service } from '../service';
import { changePassword } from './change-password';

/**
 * `PUT|POST /_security/user/_password` is Elasticsearch's change password of the caller's own password, not
 * a user named `_password`. It is told apart here rather than by a route of its own: API Gateway would send
 * every method of a static `_password` resource there, while Elasticsearch sends only PUT and POST, and a
 * `GET /_security/user/_password` still looks the name up.
 */
const OWN_PASSWORD = '_password';

/** `PUT|POST /_security/user/{username}`: create or update a native user, `{"created": bool}`. */
export const createPutUserHandler = (service: () => Service) =>
  esHandler(service, { body: 'required', params: ['refresh'] }, async (event, context, services) => {
    const username = requiredPathParameter(event, 'username');
    if (username === OWN_PASSWORD) return changePassword(context.caller.username, event, context, services);
    const request = parsePutUserRequest(username, event.body, context.rawBody);
    assertValidPutUserRequest(request);
    await authorize(context.caller, Actions.putUser, services.roles);
    return jsonResponse(200, await services.users.put(request));
  });

export const handler = createPutUserHandler(defaultService);
