import { esHandler } from '../http/es-handler';
import { requiredPathParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import { Actions, authorize } from '../security/authorization';
import { defaultService, type Service } from '../service';

/** `PUT|POST /_security/user/{username}/_enable` and `/_disable` (one Elasticsearch action, set_enabled): `{}`. */
export const createSetUserEnabledHandler = (service: () => Service) =>
  esHandler(service, { body: 'none', params: ['refresh'] }, async (event, { caller }, { users, roles }) => {
    const username = requiredPathParameter(event, 'username');
    const enabled = event.resource.endsWith('/_enable');
    await authorize(caller, Actions.setUserEnabled, roles);
    await users.setEnabled(username, enabled, caller);
    return jsonResponse(200, {});
  });

export const handler = createSetUserEnabledHandler(defaultService);
