import * as APIS from '../api/registry';
import { administrationOf } from '../composition/administration';
import { functionService } from '../composition/function-service';
import { deleteByName } from './shapes';

/** `DELETE /_security/role/{name}`: `{"found": bool}`, with 404 when there was no such role. */
export const createHandler = deleteByName(APIS.deleteRole, 'name', ({ nativeRoles }) => nativeRoles, 'role');

export const handler = createHandler(functionService(administrationOf));
