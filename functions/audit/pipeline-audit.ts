import type { APIGatewayProxyEvent } from 'aws-lambda';
import { AuthenticationError, AuthorizationError, TamperedTokenError } from '../errors';
import type { Authentication } from '../security/authc/authentication';
import { parseAuthorization } from '../security/authc/credentials';
import { assertRunAsPermitted, authenticatingUserOf } from '../security/authz/run-as';
import type { AuditedRequest, RequestAudit } from './audit-trail';

/** The REST request as the audit names it; headers in any case, since this runs before the pipeline lower-cases them. */
export function auditedRequestOf(event: APIGatewayProxyEvent): AuditedRequest {
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  // Percent-encoded, as Elasticsearch's `url.query`; a parameter without a value is its name alone (`pretty`).
  const query = Object.entries(event.queryStringParameters ?? {})
    .map(([k, v]) => (v === undefined || v === '' ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`))
    .join('&');
  return {
    path: event.path,
    query,
    method: event.httpMethod,
    requestId: event.requestContext?.requestId ?? '',
    originAddress: event.requestContext?.identity?.sourceIp ?? '',
    opaqueId: headers['x-opaque-id'],
    forwardedFor: headers['x-forwarded-for'],
  };
}

/**
 * A refused authentication, as Elasticsearch's AuthenticatorChain audits it: no credentials at all is
 * anonymous_access_denied; a token whose parts disagree with its pair is tampered_request; any other refusal is
 * authentication_failed, naming the Basic user, or `_bearer_token` (Elasticsearch's BearerToken principal).
 * The realms' own failures were reported as each realm failed (request-scope.ts).
 */
export function auditAuthenticationFailure(audit: RequestAudit, authorization: string | undefined, error: unknown): void {
  if (!(error instanceof AuthenticationError)) return;
  if (error instanceof TamperedTokenError) {
    audit.tamperedRequest();
    return;
  }
  let credentials: ReturnType<typeof parseAuthorization>;
  try {
    credentials = parseAuthorization(authorization);
  } catch {
    audit.authenticationFailed(undefined); // credentials that could not be read
    return;
  }
  if (credentials === undefined) audit.anonymousAccessDenied();
  else audit.authenticationFailed(credentials.scheme === 'bearer' ? '_bearer_token' : credentials.username);
}

export function auditAuthenticationSuccess(audit: RequestAudit | undefined, caller: Authentication): void {
  audit?.authenticationSuccess(caller, authenticatingUserOf(caller));
}

function runAsPermitted(caller: Authentication, action: string): boolean {
  try {
    assertRunAsPermitted(caller, action);
    return true;
  } catch {
    return false;
  }
}

/**
 * Authorization as Elasticsearch's AuthorizationService audits it: a run-as first (run_as_granted, or
 * run_as_denied and nothing more), then the action (access_granted or access_denied).
 */
export async function auditedAuthorization(
  audit: RequestAudit | undefined,
  caller: Authentication,
  action: string,
  authorize: () => Promise<void>,
): Promise<void> {
  if (audit === undefined) return authorize();
  const authenticating = authenticatingUserOf(caller);
  if (authenticating !== undefined) {
    const permitted = runAsPermitted(caller, action);
    audit.runAs(permitted, caller, authenticating, action);
    if (!permitted) return authorize();
  }
  try {
    await authorize();
  } catch (error) {
    if (error instanceof AuthorizationError) audit.access(false, caller, authenticating, action);
    throw error;
  }
  audit.access(true, caller, authenticating, action);
}
