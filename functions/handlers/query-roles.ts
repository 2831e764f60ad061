import * as APIS from '../api/registry';
import { administrationOf } from '../composition/administration';
import { functionService } from '../composition/function-service';
import { apiHandler } from '../http/api-handler';
import { jsonResponse } from '../http/responses';
import { describeRole } from '../security/admin/native-roles';
import { ROLE_QUERY_FIELDS } from '../security/admin/query/query-fields';
import { parseQueryRequest } from '../security/admin/query/query-request';
import { runQuery } from '../security/admin/query/query-runner';
import type { AdministrationService } from './shapes';

/**
 * `GET|POST /_security/_query/role`: native roles matching a query, `{total, count, roles}`; each role as get role
 * shows it, its name first, with `_sort` when the request sorts. Without a body, every role, ten at a time.
 */
export const createHandler = (service: () => AdministrationService) =>
  apiHandler(service, APIS.queryRoles, {
    body: 'optional',
    parse: (event, { rawBody }) => parseQueryRequest('query_role_request_payload', ROLE_QUERY_FIELDS, event.body, rawBody),
    run: async (request, _context, { roleStore }) => {
      const { total, hits } = await runQuery(request, {
        noun: 'roles',
        keyField: 'name',
        byKeys: (keys) => roleStore.getMany(keys),
        scan: (maxItems) => roleStore.list(maxItems),
        view: (role) => ({ name: role.name, ...role.descriptor }),
      });
      const roles = hits.map(({ item, sort }) => ({ name: item.name, ...describeRole(item), ...(sort && { _sort: sort }) }));
      return jsonResponse(200, { total, count: roles.length, roles });
    },
  });

export const handler = createHandler(functionService(administrationOf));
