import { esHandler } from '../http/es-handler';
import { requiredPathParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import { Actions, authorize } from '../security/authorization';
import { parseChangePasswordRequest } from '../security/user-requests';
import { defaultService, type Service } from '../service';

/** `PUT|POST /_security/user/{username}/_password`: `{}`. The old password stops working on the next request. */
export const createChangePasswordHandler = (service: () => Service) =>
  esHandler(service, { body: 'required', params: ['refresh'] }, async (event, { caller, rawBody }, { users, roles }) => {
    const request = parseChangePasswordRequest(requiredPathParameter(event, 'username'), event.body, rawBody);
    await authorize(caller, Actions.changePassword, roles);
    await users.changePassword(request);
    return jsonResponse(200, {});
  });

export const handler = createChangePasswordHandler(defaultService);
