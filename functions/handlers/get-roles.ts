import { describeRole } from '../security/native-roles';
import { defaultService } from '../service';
import { getByNames } from './shapes';

/** `GET /_security/role[/{name}]`: `{name: role}`; 404 `{}` when the names asked for are all unknown. */
export const createHandler = getByNames(
  'name',
  ({ nativeRoles }) => nativeRoles,
  (role) => [role.name, describeRole(role)],
);

export const handler = createHandler(defaultService);
