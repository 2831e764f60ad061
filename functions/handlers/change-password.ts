import * as APIS from '../api/registry';
import { changePasswordChange } from '../audit/security-changes';
import { administrationOf } from '../composition/administration';
import { functionService } from '../composition/function-service';
import { apiHandler } from '../http/api-handler';
import type { EsContext, EsEvent } from '../http/es-handler';
import { requiredPathParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import { type ChangePasswordRequest, parseChangePasswordRequest } from '../security/admin/user-requests';
import { changePasswordPrivilege } from '../security/authz/authorization';
import type { AdministrationService } from './shapes';

/** The change password request for `username`, also read by put-user.ts for `/_security/user/_password`. */
export const parseChangePassword = (username: string, event: EsEvent, { rawBody }: EsContext) =>
  parseChangePasswordRequest(username, event.body, rawBody);

/** Any user may change their own password (changePasswordPrivilege); anyone else's needs `manage_security`. */
export const changePasswordCheck = (request: ChangePasswordRequest, caller: EsContext['caller']) =>
  changePasswordPrivilege(caller, request.username);

/** Answered `{}`; the old password stops working on the next request. */
export async function changePassword(request: ChangePasswordRequest, { users }: Pick<AdministrationService, 'users'>) {
  await users.changePassword(request);
  return jsonResponse(200, {});
}

/** `PUT|POST /_security/user/{username}/_password` */
export const createHandler = (service: () => AdministrationService) =>
  apiHandler(service, APIS.changePassword, {
    body: 'required',
    params: ['refresh'],
    parse: (event, context) => parseChangePassword(requiredPathParameter(event, 'username'), event, context),
    privilege: changePasswordCheck,
    securityChange: (request) => changePasswordChange(request.username),
    run: (request, _context, services) => changePassword(request, services),
  });

export const handler = createHandler(functionService(administrationOf));
