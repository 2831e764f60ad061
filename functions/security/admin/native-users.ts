import { ActionRequestValidationError, IllegalArgumentError } from '../../errors';
import { type AccountChangeKind, type AccountChanges, UNWATCHED_ACCOUNTS } from '../authc/account-changes';
import type { Authentication, User } from '../authc/authentication';
import { FILE_REALM } from '../authc/file/file-realm';
import { NATIVE_REALM } from '../authc/native/native-realm';
import { ELASTIC, ELASTIC_USER, RESERVED_REALM } from '../authc/native/reserved-realm';
import type { UserStore } from '../authc/native/user-store';
import { hashPassword } from '../authc/passwords/bcrypt';
import { isValidName, roleNameError, usernameError } from '../validation';
import { listWithBuiltIn } from './named-listing';
import { assertValidPassword, type ChangePasswordRequest, type PutUserRequest } from './user-requests';

export interface NativeUsersOptions {
  readonly store: UserStore;
  /** The file realm's users, which the user API cannot manage (Elasticsearch says so by name). */
  readonly fileUsers?: { has(username: string): boolean };
  /** LC-1: told of each password change, disabling and deletion, once it holds; by default nobody. */
  readonly accountChanges?: AccountChanges;
}

function rejectOne(message: string): ActionRequestValidationError {
  return new ActionRequestValidationError([message]);
}

/**
 * The user API's rules (Elasticsearch's TransportPutUserAction, TransportDeleteUserAction,
 * TransportChangePasswordAction, TransportSetEnabledAction and NativeUsersStore) over the user store.
 * The caller has been authorized; what is checked here is what Elasticsearch checks after authorization.
 * New passwords are hashed with bcrypt at Elasticsearch's cost, 10.
 */
export class NativeUsers {
  private readonly store: UserStore;
  private readonly fileUsers: { has(username: string): boolean };
  private readonly accountChanges: AccountChanges;

  constructor(options: NativeUsersOptions) {
    this.store = options.store;
    this.fileUsers = options.fileUsers ?? { has: () => false };
    this.accountChanges = options.accountChanges ?? UNWATCHED_ACCOUNTS;
  }

  /** LC-1: after the change holds, so a token issued with the old password meanwhile is refused too. */
  private changed(username: string, kind: AccountChangeKind): Promise<void> {
    return this.accountChanges.changed({ realm: NATIVE_REALM.name, username, kind });
  }

  /**
   * Creates or replaces a user. With a password (or hash) the whole user is written; without one only an
   * existing user can be updated, and it keeps its password.
   */
  async put(request: PutUserRequest): Promise<{ created: boolean }> {
    const user = this.validUser(request);
    const passwordHash = await this.passwordHashOf(request);
    if (passwordHash !== undefined) {
      const created = await this.store.put({ ...user, passwordHash });
      // A replaced user has a new password, whatever else changed.
      if (!created) await this.changed(user.username, 'password');
      return { created };
    }
    if (!(await this.store.update(user))) throw rejectOne('password must be specified unless you are updating an existing user');
    if (user.enabled === false) await this.changed(user.username, 'disabled');
    return { created: false };
  }

  /** Creates a user whose name is free (the operator command's `add`); false when the name is taken. */
  async create(request: PutUserRequest & { readonly password: string }): Promise<boolean> {
    const user = this.validUser(request);
    assertValidPassword(request.password);
    return this.store.create({ ...user, passwordHash: await hashPassword(request.password) });
  }

  /** TransportPutUserAction's checks: the name (reserved, characters) and the role names. */
  private validUser(request: PutUserRequest): User {
    const messages: string[] = [];
    if (request.username === ELASTIC_USER) {
      messages.push(`user [${request.username}] is reserved and only the password can be changed`);
    } else {
      const nameError = usernameError(request.username);
      if (nameError !== undefined) messages.push(nameError);
    }
    for (const role of request.roles ?? []) {
      const roleError = roleNameError(role);
      if (roleError !== undefined) messages.push(roleError);
    }
    if (messages.length > 0) throw new ActionRequestValidationError(messages);
    return {
      username: request.username,
      roles: [...(request.roles ?? [])],
      full_name: request.full_name,
      email: request.email,
      metadata: request.metadata,
      enabled: request.enabled,
    };
  }

  private async passwordHashOf(request: { readonly password?: string; readonly passwordHash?: string }) {
    if (request.passwordHash !== undefined) return request.passwordHash;
    return request.password === undefined ? undefined : hashPassword(request.password);
  }

  /**
   * The users named (unknown names are left out), or with no names every user: the reserved `elastic`
   * first, then the native users by name. File-realm users are not listed, as in Elasticsearch.
   */
  async get(usernames: readonly string[]): Promise<User[]> {
    return listWithBuiltIn(usernames, { name: ELASTIC_USER, entry: ELASTIC }, (user) => user.username, this.store);
  }

  /** True when the user existed. A deleted user's Basic credentials fail on the next request: the realm reads every time. */
  async delete(username: string): Promise<boolean> {
    if (username === ELASTIC_USER) throw new IllegalArgumentError(`user [${username}] is reserved and cannot be deleted`);
    if (!isValidName(username)) return false;
    const existed = await this.store.delete(username);
    if (existed) await this.changed(username, 'deleted');
    return existed;
  }

  /** The new hash takes effect on the next request: the bcrypt cache is keyed by the stored hash. */
  async changePassword(request: ChangePasswordRequest): Promise<void> {
    const { username } = request;
    if (username === ELASTIC_USER) {
      // Elasticsearch keeps elastic's password in its security index; here it is the deployment's setting.
      throw new IllegalArgumentError(
        `user [${username}] is a(n) ${RESERVED_REALM.type}/${RESERVED_REALM.name} user: its password is set by the deployment (ELASTIC_PASSWORD) and cannot be changed via this API`,
      );
    }
    const passwordHash = 'passwordHash' in request ? request.passwordHash : await hashPassword(request.password);
    if (isValidName(username) && (await this.store.setPassword(username, passwordHash))) {
      await this.changed(username, 'password');
      return;
    }
    if (this.fileUsers.has(username)) {
      // Elasticsearch's text, which has no space after "a(n)".
      throw rejectOne(`user [${username}] is a(n)${FILE_REALM.type}/${FILE_REALM.name} user and cannot be managed via this API.`);
    }
    throw rejectOne('user must exist in order to change password');
  }

  /** `_enable` / `_disable`. A disabled user can neither authenticate nor be named in a password grant. */
  async setEnabled(username: string, enabled: boolean, caller: Authentication): Promise<void> {
    const callerRealm = caller.authentication_realm.type;
    if ((callerRealm === NATIVE_REALM.type || callerRealm === RESERVED_REALM.type) && caller.username === username) {
      throw new IllegalArgumentError('users may not update the enabled status of their own account');
    }
    if (username === ELASTIC_USER) {
      throw new IllegalArgumentError(
        `user [${username}] is a(n) ${RESERVED_REALM.type}/${RESERVED_REALM.name} user: it is always enabled and cannot be changed via this API`,
      );
    }
    if (isValidName(username) && (await this.store.setEnabled(username, enabled))) {
      if (!enabled) await this.changed(username, 'disabled');
      return;
    }
    throw rejectOne(`only existing users can be ${enabled ? 'enabled' : 'disabled'}`);
  }
}
