import * as APIS from '../api/registry';
import { administrationOf } from '../composition/administration';
import { functionService } from '../composition/function-service';
import { getByNames } from './shapes';

/** `GET /_security/user[/{username}]`: `{name: user}`; 404 `{}` when the names asked for are all unknown. */
export const createHandler = getByNames(
  APIS.getUsers,
  'username',
  ({ users }) => users,
  (user) => [user.username, user],
  ['with_profile_uid'],
);

export const handler = createHandler(functionService(administrationOf));
