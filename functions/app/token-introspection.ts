import { randomBytes } from 'node:crypto';
import { AuthenticationError, OAuth2Error } from '../errors';
import { digestsOf } from '../tokens/scope-digest';
import type { TokenService } from '../tokens/token-service';
import { decodeToken, encodeToken, newPairId } from '../tokens/token-string';

/** RFC 7662 §2.2: what a resource server learns of a token; anything not valid now is only `{"active": false}`. */
export type Introspection =
  | {
      readonly active: true;
      readonly username: string;
      readonly sub: string;
      readonly exp: number;
      readonly iat: number;
      readonly token_type: 'Bearer';
      /** Extensions (§2.2 allows them): the realm that knows the user, its roles, how it authenticated. */
      readonly realm: string;
      readonly roles: readonly string[];
      readonly authentication_type: string;
    }
  | { readonly active: false };

const INACTIVE: Introspection = { active: false };

/**
 * An access token never issued, of the shape of one that was: a string that is not an access token (malformed,
 * a refresh token) is looked up as this one, so every inactive token costs the same read down the same path,
 * whatever made it inactive (unknown, wrong secret, expired, invalidated, revoked by realm or user, malformed).
 */
const DECOY = encodeToken('access', newPairId(), randomBytes(32), false, digestsOf({ realm: '', username: '' }));

/** RFC 7662 §2.1: the `token` parameter, once; `token_type_hint` is read but never needed (§2.1 lets it be ignored). */
export function introspectionRequest(form: ReadonlyMap<string, readonly string[]>): { readonly token: string } {
  const token = form.get('token');
  if (token === undefined || token.length === 0 || token[0] === '') throw new OAuth2Error('invalid_request', 'token is missing');
  // RFC 6749 §3.1: a parameter must not be sent more than once.
  if (token.length > 1 || (form.get('token_type_hint')?.length ?? 0) > 1) {
    throw new OAuth2Error('invalid_request', 'a parameter was sent more than once');
  }
  return { token: token[0] as string };
}

/**
 * The token resolved exactly as a Bearer caller of this service is (TokenService.resolve). A refresh token is
 * never active here: a resource server is handed access tokens only.
 */
export async function introspect(tokens: TokenService, token: string): Promise<Introspection> {
  const lookedUp = decodeToken(token)?.kind === 'access' ? token : DECOY;
  try {
    const { authentication, issuedAt, expiresAt } = await tokens.resolve(lookedUp);
    if (lookedUp === DECOY) return INACTIVE;
    return {
      active: true,
      username: authentication.username,
      sub: authentication.username,
      exp: Math.floor(expiresAt / 1000),
      iat: Math.floor(issuedAt / 1000),
      token_type: 'Bearer',
      realm: authentication.lookup_realm.name,
      roles: authentication.roles,
      authentication_type: authentication.authentication_type,
    };
  } catch (error) {
    if (error instanceof AuthenticationError) return INACTIVE;
    throw error;
  }
}
