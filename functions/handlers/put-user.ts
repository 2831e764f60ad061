import * as APIS from '../api/registry';
import { changePasswordChange, putUserChange } from '../audit/security-changes';
import { administrationOf } from '../composition/administration';
import { functionService } from '../composition/function-service';
import { apiHandler } from '../http/api-handler';
import { requiredPathParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import {
  assertValidPutUserRequest,
  type ChangePasswordRequest,
  type PutUserRequest,
  parsePutUserRequest,
} from '../security/admin/user-requests';
import { Actions } from '../security/authz/actions';
import { changePassword, changePasswordCheck, parseChangePassword } from './change-password';
import type { AdministrationService } from './shapes';

/**
 * `PUT|POST /_security/user/_password` is Elasticsearch's change password of the caller's own password, not
 * a user named `_password`. It is told apart here rather than by a route of its own: API Gateway would send
 * every method of a static `_password` resource there, while Elasticsearch sends only PUT and POST, and a
 * `GET /_security/user/_password` still looks the name up.
 */
const OWN_PASSWORD = '_password';

type Request = { readonly ownPassword: ChangePasswordRequest } | { readonly user: PutUserRequest };

/** `PUT|POST /_security/user/{username}`: create or update a native user, `{"created": bool}`. */
export const createHandler = (service: () => AdministrationService) =>
  apiHandler(service, APIS.putUser, {
    body: 'required',
    params: ['refresh'],
    parse: (event, context): Request => {
      const username = requiredPathParameter(event, 'username');
      if (username === OWN_PASSWORD) return { ownPassword: parseChangePassword(context.caller.username, event, context) };
      const user = parsePutUserRequest(username, event.body, context.rawBody);
      assertValidPutUserRequest(user);
      return { user };
    },
    privilege: (request, caller) =>
      'ownPassword' in request ? changePasswordCheck(request.ownPassword, caller) : Actions.putUser,
    securityChange: (request) =>
      'ownPassword' in request ? changePasswordChange(request.ownPassword.username) : putUserChange(request.user),
    run: async (request, _context, services) =>
      'ownPassword' in request
        ? changePassword(request.ownPassword, services)
        : jsonResponse(200, await services.users.put(request.user)),
  });

export const handler = createHandler(functionService(administrationOf));
