import type { AuthorizerService } from '../composition/authorizer';
import { AuthenticationError, TokenExpiredError } from '../errors';
import type { Authentication } from '../security/authc/authentication';

/** Let through; refused although authenticated (a role or privilege missing); or not authenticated at all. */
export type AuthorizerDecision =
  | { readonly kind: 'allow'; readonly authentication: Authentication }
  | { readonly kind: 'deny'; readonly authentication: Authentication }
  | { readonly kind: 'unauthorized'; readonly reason: RefusalReason };

/** Why credentials were refused, in words that name no user and quote no header (the decision is logged). */
type RefusalReason = 'no credentials' | 'token expired or invalidated' | 'credentials refused';

function refusalOf(error: AuthenticationError): RefusalReason {
  if (error instanceof TokenExpiredError) return 'token expired or invalidated'; // AU-4
  return error.reason.startsWith('missing authentication credentials') ? 'no credentials' : 'credentials refused'; // ER-8
}

/** Quoted by the authenticator's messages, which the authorizer never shows. */
const REQUEST_URI = 'authorizer';

/**
 * A Bearer token exactly as `GET /_security/_authenticate` accepts it (app/request-authenticator.ts and
 * TokenService.authenticate: the pair and its watermarks in one read, expiry, invalidation), then the
 * roles and privileges the authorizer asks for. A storage failure is thrown: the gateway answers 500, and
 * nothing is let through on a guess.
 */
export async function decide(service: AuthorizerService, authorization: string | undefined): Promise<AuthorizerDecision> {
  let authentication: Authentication;
  try {
    authentication = await service.authenticator.authenticate(authorization, REQUEST_URI);
  } catch (error) {
    if (error instanceof AuthenticationError) return { kind: 'unauthorized', reason: refusalOf(error) };
    throw error;
  }
  const { anyRole, anyPrivilege } = service.requirements;
  if (anyRole.length > 0 && !authentication.roles.some((role) => anyRole.includes(role))) {
    return { kind: 'deny', authentication };
  }
  if (anyPrivilege.length > 0 && !(await service.roles.grantsAny(authentication.roles, [...anyPrivilege, 'all']))) {
    return { kind: 'deny', authentication };
  }
  return { kind: 'allow', authentication };
}
