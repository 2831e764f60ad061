import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import type { Authentication } from '../security/authc/authentication';
import type { AuthenticatingUser } from '../security/authz/run-as';
import { type AuditFields, formatAuditEntry } from './audit-entry';
import type { AuditLevel, AuditSettings } from './audit-settings';
import { type EventMetaInfo, ignoredByAny } from './event-filter';
import { requestNameOf } from './request-names';
import type { SecurityChange } from './security-changes';

/** Where audit lines go: a file, stdout (deployed, picked out of the function's log by its marker). */
export interface AuditSink {
  write(line: string): void;
}

/** The REST request an event belongs to, as Elasticsearch's HttpPreRequest and thread context show it. */
export interface AuditedRequest {
  readonly path: string;
  /** The query string, without `?`; '' when none. */
  readonly query: string;
  readonly method: string;
  /** The gateway's request id: the same on every line of the request, and on its access and function logs. */
  readonly requestId: string;
  readonly originAddress: string;
  readonly opaqueId?: string;
  readonly forwardedFor?: string;
}

const NO_META: EventMetaInfo = { user: '', realm: '', action: '', roles: [''] };
const rolesOrMissing = (roles: readonly string[]) => (roles.length === 0 ? [''] : roles);

/**
 * Elasticsearch's LoggingAuditTrail over this service's requests: each method is one of its events, written
 * when the event is included and no ignore policy matches it. Security changes are never ignored by a policy,
 * as in Elasticsearch (filtering them out "can be unexpectedly dangerous").
 */
export class AuditTrail {
  /** Elasticsearch's node id: here a function instance's (or the local API's), random at its start. */
  private readonly nodeId: string | undefined;

  constructor(
    private readonly settings: AuditSettings,
    private readonly sink: AuditSink,
    private readonly clock: Clock,
  ) {
    this.nodeId = settings.emitNodeId ? randomBytes(16).toString('base64url').slice(0, 22) : undefined;
  }

  forRequest(request: AuditedRequest): RequestAudit {
    return new RequestAudit(this, request);
  }

  /** @internal the one place an event is decided and written. */
  emit(level: AuditLevel, meta: EventMetaInfo | undefined, fields: AuditFields): void {
    if (!this.settings.events.has(level)) return;
    if (meta !== undefined && ignoredByAny(this.settings.policies, meta)) return;
    this.sink.write(formatAuditEntry(this.clock(), { 'node.id': this.nodeId, ...fields }));
  }
}

/** The events of one REST request. */
export class RequestAudit {
  constructor(
    private readonly trail: AuditTrail,
    private readonly request: AuditedRequest,
  ) {}

  /** Every `rest` event's request fields (withRestUriAndMethod, withRestOrigin, withRequestId, withThreadContext). */
  private rest(action: string, fields: AuditFields = {}): AuditFields {
    const r = this.request;
    return {
      'event.type': 'rest',
      'event.action': action,
      ...fields,
      'origin.type': 'rest',
      'origin.address': r.originAddress,
      'url.path': r.path,
      'url.query': r.query,
      'request.method': r.method,
      'request.id': r.requestId,
      opaque_id: r.opaqueId,
      x_forwarded_for: r.forwardedFor,
    };
  }

  /** Every `transport` event's fields: the action and its request's name, over the REST request it came from. */
  private transport(eventAction: string, action: string, fields: AuditFields): AuditFields {
    const r = this.request;
    return {
      'event.type': 'transport',
      'event.action': eventAction,
      ...fields,
      'origin.type': 'rest',
      'origin.address': r.originAddress,
      'request.id': r.requestId,
      action,
      'request.name': requestNameOf(action),
      opaque_id: r.opaqueId,
      x_forwarded_for: r.forwardedFor,
    };
  }

  authenticationSuccess(caller: Authentication, authenticating: AuthenticatingUser | undefined): void {
    const meta = { ...NO_META, user: caller.username, realm: caller.lookup_realm.name };
    const fields = { ...subjectOf(caller, authenticating), realm: caller.authentication_realm.name };
    this.trail.emit('authentication_success', meta, this.rest('authentication_success', fields));
  }

  /** `principal`: the user name of Basic credentials, `_bearer_token` for a token, none for credentials not read. */
  authenticationFailed(principal: string | undefined): void {
    const meta = { ...NO_META, user: principal ?? '' };
    this.trail.emit('authentication_failed', meta, this.rest('authentication_failed', { 'user.name': principal }));
  }

  realmAuthenticationFailed(realm: string, principal: string): void {
    const meta = { ...NO_META, user: principal, realm };
    this.trail.emit(
      'realm_authentication_failed',
      meta,
      this.rest('realm_authentication_failed', { 'user.name': principal, realm }),
    );
  }

  anonymousAccessDenied(): void {
    this.trail.emit('anonymous_access_denied', NO_META, this.rest('anonymous_access_denied'));
  }

  tamperedRequest(): void {
    this.trail.emit('tampered_request', NO_META, this.rest('tampered_request'));
  }

  access(granted: boolean, caller: Authentication, authenticating: AuthenticatingUser | undefined, action: string): void {
    const eventAction = granted ? 'access_granted' : 'access_denied';
    const meta = { user: caller.username, realm: caller.lookup_realm.name, action, roles: rolesOrMissing(caller.roles) };
    const fields = { ...subjectOf(caller, authenticating), 'user.roles': caller.roles };
    this.trail.emit(eventAction, meta, this.transport(eventAction, action, fields));
  }

  runAs(granted: boolean, caller: Authentication, authenticating: AuthenticatingUser, action: string): void {
    const eventAction = granted ? 'run_as_granted' : 'run_as_denied';
    const meta = { user: caller.username, realm: caller.lookup_realm.name, action, roles: rolesOrMissing(authenticating.roles) };
    // withRunAsSubject: the user who authenticated, and whom it runs as.
    const fields: AuditFields = {
      'user.name': authenticating.username,
      'user.run_as.name': caller.username,
      'user.realm': caller.authentication_realm.name,
      'user.run_as.realm': caller.lookup_realm.name,
      'user.roles': authenticating.roles,
    };
    this.trail.emit(eventAction, meta, this.transport(eventAction, action, fields));
  }

  securityChange(change: SecurityChange): void {
    const fields = {
      'event.type': 'security_config_change',
      'event.action': change.action,
      'request.id': this.request.requestId,
      [change.field]: change.body,
    };
    this.trail.emit('security_config_change', undefined, fields);
  }
}

/** withAuthentication: the effective user, and who ran as it. */
function subjectOf(caller: Authentication, authenticating: AuthenticatingUser | undefined): AuditFields {
  const subject: AuditFields = { 'authentication.type': caller.authentication_type.toUpperCase(), 'user.name': caller.username };
  if (authenticating === undefined) return { ...subject, 'user.realm': caller.authentication_realm.name };
  return {
    ...subject,
    'user.realm': caller.lookup_realm.name,
    'user.run_by.name': authenticating.username,
    'user.run_by.realm': caller.authentication_realm.name,
  };
}
