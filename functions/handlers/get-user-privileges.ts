import * as APIS from '../api/registry';
import type { Core } from '../composition/core';
import { functionService } from '../composition/function-service';
import { apiHandler } from '../http/api-handler';
import { jsonResponse } from '../http/responses';
import { userPrivileges } from '../security/authz/privileges/user-privileges';

/**
 * `GET /_security/user/_privileges`: the union of the caller's roles (or, run as another user, that user's).
 * Index and application privileges are shown as stored: this service evaluates them, never enforces them.
 */
export const createHandler = (service: () => Core) =>
  apiHandler(service, APIS.getUserPrivileges, {
    body: 'none',
    parse: () => undefined,
    run: async (_request, { caller }, { roleDescriptors }) =>
      jsonResponse(200, userPrivileges(await roleDescriptors.of(caller.roles))),
  });

export const handler = createHandler(functionService());
