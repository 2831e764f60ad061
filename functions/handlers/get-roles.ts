import * as APIS from '../api/registry';
import { administrationOf } from '../composition/administration';
import { functionService } from '../composition/function-service';
import { describeRole } from '../security/admin/native-roles';
import { getByNames } from './shapes';

/** `GET /_security/role[/{name}]`: `{name: role}`; 404 `{}` when the names asked for are all unknown. */
export const createHandler = getByNames(
  APIS.getRoles,
  'name',
  ({ nativeRoles }) => nativeRoles,
  (role) => [role.name, describeRole(role)],
);

export const handler = createHandler(functionService(administrationOf));
