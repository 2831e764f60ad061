import * as APIS from '../api/registry';
import { administrationOf } from '../composition/administration';
import { functionService } from '../composition/function-service';
import { deleteByName } from './shapes';

/** `DELETE /_security/user/{username}`: `{"found": bool}`, with 404 when there was no such user. */
export const createHandler = deleteByName(APIS.deleteUser, 'username', ({ users }) => users, 'user');

export const handler = createHandler(functionService(administrationOf));
