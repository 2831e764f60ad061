import { apiHandler } from '../http/api-handler';
import { requiredPathParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import { assertValidPutRoleRequest, parseRoleDescriptor } from '../security/role-requests';
import { defaultService, type Service } from '../service';

/** `PUT|POST /_security/role/{name}`: create or replace a native role, `{"role": {"created": bool}}`. */
export const createHandler = (service: () => Service) =>
  apiHandler(service, {
    body: 'required',
    params: ['refresh'],
    parse: (event, { rawBody }) => {
      const name = requiredPathParameter(event, 'name');
      const descriptor = parseRoleDescriptor(name, event.body, rawBody);
      assertValidPutRoleRequest(name, descriptor);
      return { name, descriptor };
    },
    run: async ({ name, descriptor }, _context, { nativeRoles }) => jsonResponse(200, await nativeRoles.put(name, descriptor)),
  });

export const handler = createHandler(defaultService);
