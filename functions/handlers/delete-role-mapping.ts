import * as APIS from '../api/registry';
import { administrationOf } from '../composition/administration';
import { functionService } from '../composition/function-service';
import { deleteByName } from './shapes';

/** `DELETE /_security/role_mapping/{name}` (RM-8): `{"found": bool}`, with 404 when there was no such mapping. */
export const createHandler = deleteByName(APIS.deleteRoleMapping, 'name', ({ roleMappings }) => roleMappings, 'role_mapping');

export const handler = createHandler(functionService(administrationOf));
