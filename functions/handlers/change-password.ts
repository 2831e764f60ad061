import { type EsContext, type EsEvent, esHandler } from '../http/es-handler';
import { requiredPathParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import { authorizeChangePassword } from '../security/authorization';
import { parseChangePasswordRequest } from '../security/user-requests';
import { defaultService, type Service } from '../service';

/**
 * Change password of `username`, answered `{}`; the old password stops working on the next request. Any
 * user may change their own (authorizeChangePassword); anyone else's needs `manage_security`.
 */
export async function changePassword(
  username: string,
  event: EsEvent,
  { caller, rawBody }: EsContext,
  { users, roles }: Service,
) {
  const request = parseChangePasswordRequest(username, event.body, rawBody);
  await authorizeChangePassword(caller, username, roles);
  await users.changePassword(request);
  return jsonResponse(200, {});
}

/** `PUT|POST /_security/user/{username}/_password` */
export const createChangePasswordHandler = (service: () => Service) =>
  esHandler(service, { body: 'required', params: ['refresh'] }, async (event, context, services) =>
    changePassword(requiredPathParameter(event, 'username'), event, context, services),
  );

export const handler = createChangePasswordHandler(defaultService);
