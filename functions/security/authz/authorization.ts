import { AuthorizationError } from '../../errors';
import type { Authentication } from '../authc/authentication';
import { NATIVE_REALM } from '../authc/native/native-realm';
import { RESERVED_REALM } from '../authc/native/reserved-realm';
import { Actions, type ClusterAction } from './actions';
import type { RoleRegistry } from './roles';
import { assertRunAsPermitted, deniedSubject } from './run-as';

/**
 * ER-10: throws unless one of the caller's roles grants the action. Asynchronous because a native role
 * is a read away: always `await` it (Biome's noFloatingPromises rule refuses a call that is not).
 */
export async function authorize(caller: Authentication, action: ClusterAction, roles: RoleRegistry): Promise<void> {
  assertRunAsPermitted(caller, action.name);
  if (action.everyUser || (await roles.grants(caller.roles, action))) return;
  throw new AuthorizationError(
    `action [${action.name}] is unauthorized for ${deniedSubject(caller)} with effective roles [${caller.roles.join(',')}], ` +
      `this action is granted by the cluster privileges [${action.grantedBy.join(',')}]`,
  );
}

/**
 * The privilege a change of `username`'s password needs: none for the caller's own password (Elasticsearch's
 * RBACEngine `checkSameUserPermissions` and `checkChangePasswordAction`), but only when the caller authenticated
 * with a realm's credentials (not a token) of a realm whose passwords can be changed, native or reserved, so
 * that a file user cannot change the password of a native user of the same name.
 */
export function changePasswordPrivilege(caller: Authentication, username: string): ClusterAction | undefined {
  const realm = caller.lookup_realm.type;
  const ownPassword =
    caller.username === username &&
    caller.authentication_type === 'realm' &&
    (realm === NATIVE_REALM.type || realm === RESERVED_REALM.type);
  return ownPassword ? undefined : Actions.changePassword;
}
