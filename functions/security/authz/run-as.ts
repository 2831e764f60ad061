import { AuthorizationError } from '../../errors';
import { logger } from '../../telemetry/logger';
import { type Authentication, authenticatedByRealm } from '../authc/authentication';
import type { RealmChain } from '../authc/realm';
import { isValidName } from '../validation';
import { patternAutomaton } from './patterns/automatons';
import type { RoleStore } from './role-store';
import { SUPERUSER_ROLE } from './roles';

/**
 * Elasticsearch's run-as: a caller whose roles grant `run_as` for a user may act as that user by naming it in
 * this header. The request is then the target's (its roles authorize the action), looked up in the realm
 * chain; `authentication_realm` stays the caller's and `lookup_realm` is the target's, as in Elasticsearch's
 * Authentication. Tokens created so belong to the target and keep the caller as their authenticating user
 * (restoreRunAs); their creating client is that run-as authentication (the target's name and the caller's
 * realm), as Elasticsearch's TokenService records it.
 */
export const RUN_AS_HEADER = 'es-security-runas-user';

/**
 * Who authenticated a run-as: Elasticsearch's authenticating subject, beside the effective one (the Authentication).
 * Its name and roles are what the denial messages name, and what authorizes the run-as.
 */
export interface AuthenticatingUser {
  readonly username: string;
  readonly roles: readonly string[];
}

interface RunAsRecord {
  readonly authenticating: AuthenticatingUser;
  /**
   * False when the caller may not run as the target, or the target is unknown: refused at authorization.
   * Undefined for a token's run-as until the pipeline authorizes it again (RunAs.apply).
   */
  permitted: boolean | undefined;
}

/** Kept beside the Authentication rather than in it: it is what the authenticate API and token pairs show. */
const runAsRecords = new WeakMap<Authentication, RunAsRecord>();

/**
 * Elasticsearch's Automatons.pattern for a `run_as` entry: `/regex/` is a Lucene regular expression over the
 * whole name, anything else a wildcard pattern in which `*` is any characters and `?` one. Matched in linear
 * time, whatever the pattern.
 */
export function runAsPatternMatches(pattern: string, username: string): boolean {
  try {
    return patternAutomaton(pattern).matches(username);
  } catch {
    return false; // the role API refuses such a pattern; one stored before that, or in the file, grants nothing.
  }
}

/** The `run_as` entries of roles: the built-in superuser's `*`, the roles file's, then the native roles'. */
export class RunAsPrivileges {
  constructor(
    private readonly nativeRoles: Pick<RoleStore, 'getMany'>,
    private readonly fileRoles: Pick<ReadonlyMap<string, readonly string[]>, 'get'> = new Map(),
  ) {}

  async permits(roles: readonly string[], username: string): Promise<boolean> {
    const patterns: string[] = [];
    const unresolved: string[] = [];
    for (const role of roles) {
      if (role === SUPERUSER_ROLE) return true;
      const fromFile = this.fileRoles.get(role);
      if (fromFile === undefined) unresolved.push(role);
      else patterns.push(...fromFile);
    }
    if (patterns.some((pattern) => runAsPatternMatches(pattern, username))) return true;
    // Only names the role API could have stored are read (a roles-file name may be anything).
    const readable = unresolved.filter(isValidName);
    if (readable.length === 0) return false;
    for (const { descriptor } of await this.nativeRoles.getMany(readable)) {
      const runAs = Array.isArray(descriptor.run_as) ? descriptor.run_as : [];
      if (runAs.some((p) => typeof p === 'string' && runAsPatternMatches(p, username))) return true;
    }
    return false;
  }
}

/** The user who authenticated, when `authentication` is a run-as (a header's, or a token's minted under one). */
export function authenticatingUserOf(authentication: Authentication): AuthenticatingUser | undefined {
  const authenticating = runAsRecords.get(authentication)?.authenticating;
  return authenticating && { username: authenticating.username, roles: [...authenticating.roles] };
}

/**
 * A token's run-as, as its pair stored it: `authentication` is the effective user, authenticated by
 * `authenticating`. As in Elasticsearch's AuthorizationService, the run-as is authorized again on every use,
 * with the authenticating user's roles as they are now (RunAs.apply).
 */
export function restoreRunAs(authentication: Authentication, authenticating: AuthenticatingUser): Authentication {
  runAsRecords.set(authentication, {
    authenticating: { username: authenticating.username, roles: [...authenticating.roles] },
    permitted: undefined,
  });
  return authentication;
}

/**
 * Elasticsearch's `Authentication.isRunAs`. A token minted under run-as before both subjects were stored
 * shows it only when the two realms differ.
 */
function isRunAs(authentication: Authentication): boolean {
  return runAsRecords.has(authentication) || authentication.authentication_realm.name !== authentication.lookup_realm.name;
}

export class RunAs {
  constructor(
    private readonly realms: RealmChain,
    private readonly privileges: RunAsPrivileges,
  ) {}

  /**
   * The pipeline's run-as step: authorizes a token's run-as again, then honours the header unless the caller
   * already runs as someone. Chained run-as is not supported (`Authentication.supportsRunAs`): Elasticsearch's
   * AuthenticatorChain then ignores the header ("ignore run-as header since it is currently not supported for
   * authentication") and the request stays the first run-as's, so a token minted as `T` never runs as
   * whomever `T` may run as.
   */
  async apply(caller: Authentication, target: string | undefined): Promise<Authentication> {
    const record = runAsRecords.get(caller);
    if (record !== undefined && record.permitted === undefined) {
      record.permitted = await this.privileges.permits(record.authenticating.roles, caller.username);
    }
    if (target === undefined) return caller;
    if (isRunAs(caller)) {
      logger.info('ignore run-as header since it is currently not supported for authentication');
      return caller;
    }
    return this.start(caller, target);
  }

  /**
   * The authentication of `target` run as by `caller`. A target the caller may not run as, or that no realm
   * knows, gives an authentication with no roles that every action refuses with Elasticsearch's run-as denial
   * (the same answer for both, so that run-as does not tell which users exist).
   */
  private async start(caller: Authentication, target: string): Promise<Authentication> {
    const authenticating = { username: caller.username, roles: [...caller.roles] };
    const permitted = target !== '' && (await this.privileges.permits(caller.roles, target));
    const found = permitted ? await this.realms.lookup(target) : undefined;
    const user = found?.user ?? { username: target, roles: [], full_name: null, email: null, metadata: {}, enabled: true };
    // The caller's realm authenticated; the target's realm looked it up (spreading keeps AU-3's key order).
    const authentication: Authentication = {
      ...authenticatedByRealm(user, caller.authentication_realm),
      lookup_realm: { ...(found?.realm ?? caller.authentication_realm) },
      authentication_type: caller.authentication_type,
    };
    runAsRecords.set(authentication, { authenticating, permitted: found !== undefined });
    return authentication;
  }
}

/**
 * AuthorizationDenialMessages.runAsDenied: throws when `caller` is a run-as the caller was not allowed.
 * Every action checks this first, as AuthorizationService authorizes the run-as before the action.
 */
export function assertRunAsPermitted(caller: Authentication, action: string): void {
  const record = runAsRecords.get(caller);
  // A run-as not yet authorized (one the pipeline did not see) is refused, never assumed.
  if (record === undefined || record.permitted === true) return;
  const { username, roles } = record.authenticating;
  throw new AuthorizationError(
    `action [${action}] is unauthorized for user [${username}] with effective roles [${roles.join(',')}], ` +
      `because user [${username}] is unauthorized to run as [${caller.username}]`,
  );
}

/** The subject of an action denial (AuthorizationDenialMessages.actionDenied): `user [a]` or `user [a] run as [b]`. */
export function deniedSubject(caller: Authentication): string {
  const record = runAsRecords.get(caller);
  return record === undefined
    ? `user [${caller.username}]`
    : `user [${record.authenticating.username}] run as [${caller.username}]`;
}
