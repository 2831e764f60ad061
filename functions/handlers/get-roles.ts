import { esHandler } from '../http/es-handler';
import { nameListParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import { Actions, authorize } from '../security/authorization';
import { describeRole } from '../security/native-roles';
import { defaultService, type Service } from '../service';

/** `GET /_security/role[/{name}]`: `{name: role}`; 404 `{}` when the names asked for are all unknown. */
export const createGetRolesHandler = (service: () => Service) =>
  esHandler(service, { body: 'none' }, async (event, { caller }, { nativeRoles, roles }) => {
    const names = nameListParameter(event, 'name');
    await authorize(caller, Actions.getRoles, roles);
    const found = await nativeRoles.get(names);
    if (names.length > 0 && found.length === 0) return jsonResponse(404, {});
    return jsonResponse(200, Object.fromEntries(found.map((role) => [role.name, describeRole(role)])));
  });

export const handler = createGetRolesHandler(defaultService);
