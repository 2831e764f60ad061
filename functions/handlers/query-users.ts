import * as APIS from '../api/registry';
import { administrationOf } from '../composition/administration';
import { functionService } from '../composition/function-service';
import { apiHandler } from '../http/api-handler';
import { jsonResponse } from '../http/responses';
import { USER_QUERY_FIELDS } from '../security/admin/query/query-fields';
import { parseQueryRequest } from '../security/admin/query/query-request';
import { runQuery } from '../security/admin/query/query-runner';
import type { AdministrationService } from './shapes';

/**
 * `GET|POST /_security/_query/user`: native users matching a query, `{total, count, users}`; each user as get
 * user shows it, with `_sort` when the request sorts. Without a body, every user, ten at a time.
 */
export const createHandler = (service: () => AdministrationService) =>
  apiHandler(service, APIS.queryUsers, {
    body: 'optional',
    params: ['with_profile_uid'],
    parse: (event, { rawBody }) => parseQueryRequest('query_user_request_payload', USER_QUERY_FIELDS, event.body, rawBody),
    run: async (request, _context, { userStore }) => {
      const { total, hits } = await runQuery(request, {
        noun: 'users',
        keyField: 'username',
        byKeys: (keys) => userStore.getMany(keys),
        scan: (maxItems) => userStore.list(maxItems),
        view: (user) => user,
      });
      const users = hits.map(({ item, sort }) => ({ ...item, ...(sort && { _sort: sort }) }));
      return jsonResponse(200, { total, count: users.length, users });
    },
  });

export const handler = createHandler(functionService(administrationOf));
