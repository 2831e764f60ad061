import { esHandler } from '../http/es-handler';
import { nameListParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import { Actions, authorize } from '../security/authorization';
import { describeRoleMapping } from '../security/role-mapping/mapping';
import { defaultService, type Service } from '../service';

/** `GET /_security/role_mapping[/{name}]` (RM-8): `{name: mapping}`; 404 `{}` when the names asked for are all unknown. */
export const createGetRoleMappingsHandler = (service: () => Service) =>
  esHandler(service, { body: 'none' }, async (event, { caller }, { roleMappings, roles }) => {
    const names = nameListParameter(event, 'name');
    await authorize(caller, Actions.getRoleMappings, roles);
    const found = await roleMappings.get(names);
    if (names.length > 0 && found.length === 0) return jsonResponse(404, {});
    return jsonResponse(200, Object.fromEntries(found.map((mapping) => [mapping.name, describeRoleMapping(mapping)])));
  });

export const handler = createGetRoleMappingsHandler(defaultService);
