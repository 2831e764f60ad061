import * as APIS from '../api/registry';
import type { Core } from '../composition/core';
import { functionService } from '../composition/function-service';
import { IllegalArgumentError } from '../errors';
import { apiHandler } from '../http/api-handler';
import { pathParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import { Actions } from '../security/authz/actions';
import { hasPrivileges, parsePrivilegesToCheck } from '../security/authz/privileges/has-privileges';

/**
 * `GET|POST /_security/user[/{username}]/_has_privileges`: whether the caller's roles hold each cluster, index and
 * application privilege asked for. Evaluated against the stored roles; this service enforces only cluster
 * privileges. Another user's name in the path needs the privilege, then is refused, as in Elasticsearch.
 */
export const createHandler = (service: () => Core) =>
  apiHandler(service, APIS.hasPrivileges, {
    body: 'required',
    parse: (event, { rawBody, caller }) => ({
      username: pathParameter(event, 'username') ?? caller.username,
      toCheck: parsePrivilegesToCheck(pathParameter(event, 'username') ?? caller.username, event.body, rawBody),
    }),
    privilege: ({ username }, caller) =>
      username === caller.username ? Actions.hasOwnPrivileges : Actions.hasPrivilegesOfOthers,
    run: async ({ username, toCheck }, { caller }, { roleDescriptors }) => {
      if (username !== caller.username)
        throw new IllegalArgumentError('users may only check the privileges of their own account');
      return jsonResponse(200, hasPrivileges(caller.username, await roleDescriptors.of(caller.roles), toCheck));
    },
  });

export const handler = createHandler(functionService());
