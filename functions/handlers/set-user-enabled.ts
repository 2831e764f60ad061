import * as APIS from '../api/registry';
import { setEnabledChange } from '../audit/security-changes';
import { administrationOf } from '../composition/administration';
import { functionService } from '../composition/function-service';
import { apiHandler } from '../http/api-handler';
import { requiredPathParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import type { AdministrationService } from './shapes';

/** `PUT|POST /_security/user/{username}/_enable` and `/_disable` (one Elasticsearch action, set_enabled): `{}`. */
export const createHandler = (service: () => AdministrationService) =>
  apiHandler(service, APIS.setUserEnabled, {
    body: 'none',
    params: ['refresh'],
    parse: (event) => ({ username: requiredPathParameter(event, 'username'), enabled: event.resource.endsWith('/_enable') }),
    securityChange: ({ username, enabled }) => setEnabledChange(username, enabled),
    run: async ({ username, enabled }, { caller }, { users }) => {
      await users.setEnabled(username, enabled, caller);
      return jsonResponse(200, {});
    },
  });

export const handler = createHandler(functionService(administrationOf));
