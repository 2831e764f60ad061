import { esHandler } from '../http/es-handler';
import { nameListParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import { Actions, authorize } from '../security/authorization';
import { defaultService, type Service } from '../service';

/** `GET /_security/user[/{username}]`: `{name: user}`; 404 `{}` when the names asked for are all unknown. */
export const createGetUsersHandler = (service: () => Service) =>
  esHandler(service, { body: 'none', params: ['with_profile_uid'] }, async (event, { caller }, { users, roles }) => {
    const usernames = nameListParameter(event, 'username');
    await authorize(caller, Actions.getUsers, roles);
    const found = await users.get(usernames);
    if (usernames.length > 0 && found.length === 0) return jsonResponse(404, {});
    return jsonResponse(200, Object.fromEntries(found.map((user) => [user.username, user])));
  });

export const handler = createGetUsersHandler(defaultService);
