import * as APIS from '../api/registry';
import type { Core } from '../composition/core';
import { functionService } from '../composition/function-service';
import { apiHandler } from '../http/api-handler';
import { jsonResponse } from '../http/responses';
import { BUILTIN_PRIVILEGES } from '../security/authz/privileges/builtin';

/** `GET /_security/privilege/_builtin`: the privilege names a role may use; reads nothing but the caller. */
export const createHandler = (service: () => Core) =>
  apiHandler(service, APIS.getBuiltinPrivileges, {
    body: 'none',
    parse: () => undefined,
    run: async () => jsonResponse(200, BUILTIN_PRIVILEGES),
  });

export const handler = createHandler(functionService());
