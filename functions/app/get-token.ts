import { AuthenticationError, formatValidationMessages, OAuth2Error } from '../errors';
import { parseStringFields } from '../request-content';
import { type Authentication, clientOf } from '../security/authc/authentication';
import type { RealmChain } from '../security/authc/realm';
import { Actions, type ClusterAction } from '../security/authz/actions';
import type { IssuedTokens, TokenService } from '../tokens/token-service';

const GRANT_TYPES = ['password', '_kerberos', 'refresh_token', 'client_credentials'] as const;
type GrantType = (typeof GRANT_TYPES)[number];

const FIELDS = ['grant_type', 'username', 'password', 'refresh_token', 'kerberos_ticket', 'scope'] as const;
type Field = (typeof FIELDS)[number];

export type TokenRequest = Partial<Record<Field, string>>;

/** ER-6, ER-7: the body of `POST /_security/oauth2/token`, as Elasticsearch's `token_request` parser reads it. */
export function parseTokenRequest(body: unknown, rawBody: string): TokenRequest {
  return parseStringFields(body, rawBody, 'token_request', FIELDS);
}

/** For each grant: the fields it refuses, then the fields it requires, in Elasticsearch's order (GT-2..GT-5). */
const GRANT_RULES: Record<GrantType, { unsupported: readonly Field[]; required: readonly Field[] }> = {
  password: { unsupported: ['kerberos_ticket', 'refresh_token'], required: ['username', 'password'] },
  _kerberos: { unsupported: ['username', 'password', 'refresh_token'], required: ['kerberos_ticket'] },
  refresh_token: { unsupported: ['username', 'password', 'kerberos_ticket'], required: ['refresh_token'] },
  client_credentials: { unsupported: ['username', 'password', 'kerberos_ticket', 'refresh_token'], required: [] },
};

function isGrantType(value: string | undefined): value is GrantType {
  return (GRANT_TYPES as readonly (string | undefined)[]).includes(value);
}

/**
 * GT-1..GT-6: the validation messages, in order. "Present" is "in the body" (an empty string is present);
 * "missing" is absent or empty. `scope` is never validated.
 */
export function validateTokenRequest(request: TokenRequest): string[] {
  const grant = request.grant_type;
  if (!isGrantType(grant)) return [`grant_type only supports the values: [${GRANT_TYPES.join(', ')}]`];
  const rules = GRANT_RULES[grant];
  return [
    ...rules.unsupported.filter((f) => request[f] !== undefined).map((f) => `${f} is not supported with the ${grant} grant_type`),
    ...rules.required.filter((f) => !request[f]).map((f) => `${f} is missing`),
  ];
}

/** A request that passed validation: its grant type is known. */
export type ValidTokenRequest = TokenRequest & { readonly grant_type: GrantType };

/** Validation runs before authorization (GT-1..GT-6 are answered even to a caller without the privilege). */
export function assertValidTokenRequest(request: TokenRequest): asserts request is ValidTokenRequest {
  const messages = validateTokenRequest(request);
  if (messages.length === 0) return;
  const code = messages.some((m) => m.includes('grant_type')) ? 'unsupported_grant_type' : 'invalid_request';
  throw new OAuth2Error(code, formatValidationMessages(messages));
}

/** The cluster action a token request needs (ER-10): refreshing is its own action in Elasticsearch. */
export function actionFor(request: ValidTokenRequest): ClusterAction {
  return request.grant_type === 'refresh_token' ? Actions.refreshToken : Actions.createToken;
}

/** GT-11: the fields in Elasticsearch's order. */
export interface TokenResponse {
  readonly access_token: string;
  readonly type: 'Bearer';
  readonly expires_in: number;
  readonly refresh_token?: string;
  readonly scope?: 'full';
  readonly authentication: Authentication;
}

export interface GetTokenDependencies {
  readonly tokens: TokenService;
  readonly realms: RealmChain;
}

/** Runs a validated, authorized token request for `caller`. */
export async function getToken(
  request: ValidTokenRequest,
  caller: Authentication,
  { tokens, realms }: GetTokenDependencies,
): Promise<TokenResponse> {
  /** A new pair for `authentication`, created by the caller (its client). */
  const issue = async (authentication: Authentication, withRefreshToken: boolean) =>
    respond(await tokens.issue({ authentication, client: clientOf(caller), withRefreshToken }), request, authentication, tokens);
  switch (request.grant_type) {
    case 'password': {
      // GT-7: the user of the grant may differ from the caller; only the caller needed the privilege.
      const username = request.username ?? '';
      const user = await realms.authenticate(username, request.password ?? '');
      if (user === undefined) {
        throw new AuthenticationError(`unable to authenticate user [${username}] for action [${Actions.createToken.name}]`);
      }
      return issue(user, true);
    }
    case 'client_credentials':
      // GT-8: the caller's own identity, no re-authentication, no refresh token.
      return issue(caller, false);
    case '_kerberos':
      // GT-10: no Kerberos realm is offered.
      throw new AuthenticationError('unable to authenticate with provided credentials');
    case 'refresh_token': {
      // GT-9, RF-1..RF-8: a new pair for the same user; the caller must be the client that created it.
      const refreshed = await tokens.refresh(request.refresh_token ?? '', clientOf(caller));
      return respond(refreshed, request, refreshed.authentication, tokens);
    }
  }
}

function respond(
  issued: Pick<IssuedTokens, 'accessToken' | 'refreshToken'>,
  request: TokenRequest,
  authentication: Authentication,
  tokens: TokenService,
): TokenResponse {
  return {
    access_token: issued.accessToken,
    type: 'Bearer',
    expires_in: Math.floor(tokens.accessTokenTimeoutMs / 1000),
    ...(issued.refreshToken !== undefined && { refresh_token: issued.refreshToken }),
    ...(request.scope !== undefined && { scope: 'full' as const }),
    authentication,
  };
}
