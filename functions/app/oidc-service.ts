import { AuthenticationError, IllegalArgumentError, SecurityRequestError } from '../errors';
import type { Authentication } from '../security/authc/authentication';
import { OidcAuthenticationFailure, type OidcUser } from '../security/authc/oidc/claims';
import type { OidcRealm, PreparedAuthentication } from '../security/authc/oidc/oidc-realm';
import type { AuthenticateRequest, LogoutRequest, PrepareRequest } from '../security/authc/oidc/requests';
import { Actions } from '../security/authz/actions';
import type { RoleMappings } from '../security/authz/role-mapping/role-mappings';
import type { TokenInvalidation } from '../tokens/token-invalidation';
import type { TokenService } from '../tokens/token-service';
import { firstAuthenticated, issueSsoPair } from './sso-login';
import type { SsoRealms } from './sso-realms';

const OIDC_REALM_TYPE = 'oidc';

/** OIDC-A-8 (OPEN-1: the union of what the code and the specification emit). */
export interface OidcAuthenticateResponse {
  readonly username: string;
  readonly access_token: string;
  readonly refresh_token: string;
  readonly type: 'Bearer';
  readonly expires_in: number;
  readonly authentication: Authentication;
}

export interface OidcServiceOptions {
  readonly realms: SsoRealms<OidcRealm>;
  readonly roleMappings: RoleMappings;
  readonly tokens: TokenService;
  readonly invalidation: TokenInvalidation;
}

/** COMMON-6: what the facilitator is told when the end user is not authenticated; the cause is only logged. */
function authenticationFailed(): AuthenticationError {
  return new AuthenticationError(`unable to authenticate user [<OIDC Token>] for action [${Actions.oidcAuthenticate.name}]`);
}

/** The OpenID Connect APIs over the realms of elasticsearch.yml (Transport{Prepare,Authenticate,Logout} actions). */
export class OidcService {
  constructor(private readonly options: OidcServiceOptions) {}

  /** House rule: Elasticsearch's 500 for an unknown realm is a 400 with the same type and reason (OIDC-P-3). */
  private async realmNamed(name: string): Promise<OidcRealm> {
    const realm = (await this.options.realms()).find((r) => r.name === name);
    if (realm === undefined) throw new SecurityRequestError(`Cannot find OpenID Connect realm with name [${name}]`);
    return realm;
  }

  private async realmOfIssuer(issuer: string): Promise<OidcRealm> {
    const found = (await this.options.realms()).filter((r) => r.config.issuer === issuer);
    if (found.length === 0) throw new SecurityRequestError(`Cannot find OpenID Connect realm with issuer [${issuer}]`);
    if (found.length > 1) throw new SecurityRequestError(`Found multiple OpenID Connect realm with issuer [${issuer}]`);
    return found[0] as OidcRealm;
  }

  /** OIDC-P-3..OIDC-P-6 */
  async prepare(request: PrepareRequest): Promise<PreparedAuthentication> {
    const realm =
      request.realm !== undefined ? await this.realmNamed(request.realm) : await this.realmOfIssuer(request.iss as string);
    return realm.prepare({ state: request.state, nonce: request.nonce, loginHint: request.login_hint });
  }

  /** COMMON-7: the realm named, or each realm in order until one authenticates the user. */
  private async authenticateUser(request: AuthenticateRequest): Promise<{ realm: OidcRealm; user: OidcUser }> {
    const candidates = request.realm !== undefined ? [await this.realmNamed(request.realm)] : await this.options.realms();
    // Only the step that failed is logged: never the provider's answer, the code or the ID token.
    return firstAuthenticated(
      candidates,
      (realm) => realm.authenticate(request.redirect_uri as string, request.state as string, request.nonce as string),
      {
        isFailure: (error) => error instanceof OidcAuthenticationFailure,
        protocol: 'OpenID Connect',
        refused: authenticationFailed,
      },
    );
  }

  /** OIDC-A-8, OIDC-U-5, COMMON-1, COMMON-5: roles by role mapping, a pair for the user created by the caller. */
  async authenticate(request: AuthenticateRequest, caller: Authentication): Promise<OidcAuthenticateResponse> {
    const { realm, user } = await this.authenticateUser(request);
    const pair = await issueSsoPair(this.options, { name: realm.name, type: OIDC_REALM_TYPE }, user, caller, {
      refused: authenticationFailed,
    });
    return {
      username: user.principal,
      access_token: pair.accessToken,
      refresh_token: pair.refreshToken,
      type: 'Bearer',
      expires_in: pair.expiresIn,
      authentication: pair.authentication,
    };
  }

  /** OIDC-L-2, OIDC-L-3, TOK-6: the refresh token if given, then the access token, then the provider's logout URL. */
  async logout(request: LogoutRequest): Promise<{ redirect: string | null }> {
    const { tokens, invalidation } = this.options;
    if (request.refresh_token !== undefined)
      await invalidation.invalidate({ kind: 'refresh_token', refreshToken: request.refresh_token }, 'oidc_logout');
    let authentication: Authentication;
    try {
      authentication = await tokens.authenticate(request.token as string);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      throw new SecurityRequestError('supplied token is not valid');
    }
    if (authentication.authentication_realm.type !== OIDC_REALM_TYPE) {
      throw new IllegalArgumentError('Access token is not valid for an OpenID Connect realm');
    }
    const realm = (await this.options.realms()).find((r) => r.name === authentication.authentication_realm.name);
    if (realm === undefined) {
      throw new SecurityRequestError(`Authenticating realm {${authentication.authentication_realm.name}} does not exist`);
    }
    await invalidation.invalidate({ kind: 'token', token: request.token as string }, 'oidc_logout');
    return { redirect: realm.logoutUrl() };
  }
}
