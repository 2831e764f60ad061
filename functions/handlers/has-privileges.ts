import type { Core } from '../composition/core';
import { functionService } from '../composition/function-service';
import { apiHandler } from '../http/api-handler';
import { jsonResponse } from '../http/responses';
import { hasPrivileges, parsePrivilegesToCheck } from '../security/authz/privileges/has-privileges';

/**
 * `GET|POST /_security/user/_has_privileges`: whether the caller's roles hold each cluster, index and application
 * privilege asked for. Evaluated against the stored roles; this service enforces only cluster privileges.
 */
export const createHandler = (service: () => Core) =>
  apiHandler(service, {
    body: 'required',
    parse: (event, { rawBody, caller }) => parsePrivilegesToCheck(caller.username, event.body, rawBody),
    run: async (request, { caller }, { roleDescriptors }) =>
      jsonResponse(200, hasPrivileges(caller.username, await roleDescriptors.of(caller.roles), request)),
  });

export const handler = createHandler(functionService());
