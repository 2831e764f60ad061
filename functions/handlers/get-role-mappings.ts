import * as APIS from '../api/registry';
import { administrationOf } from '../composition/administration';
import { functionService } from '../composition/function-service';
import { describeRoleMapping } from '../security/authz/role-mapping/mapping';
import { getByNames } from './shapes';

/** `GET /_security/role_mapping[/{name}]` (RM-8): `{name: mapping}`; 404 `{}` when the names asked for are all unknown. */
export const createHandler = getByNames(
  APIS.getRoleMappings,
  'name',
  ({ roleMappings }) => roleMappings,
  (mapping) => [mapping.name, describeRoleMapping(mapping)],
);

export const handler = createHandler(functionService(administrationOf));
