import type { Clock } from '../clock';
import { AuthenticationError, IllegalArgumentError, SecurityRequestError } from '../errors';
import type { Authentication } from '../security/authc/authentication';
import type { AssertionUse, UsedAssertions } from '../security/authc/saml/assertion-use';
import type {
  AuthenticateRequest,
  CompleteLogoutRequest,
  InvalidateRequest,
  LogoutRequest,
  PrepareRequest,
} from '../security/authc/saml/requests';
import type { SamlRealm } from '../security/authc/saml/saml-realm';
import type { AcceptedSamlUser } from '../security/authc/saml/saml-user';
import { tokenMetadataOf } from '../security/authc/saml/saml-user';
import { SamlAuthenticationFailure } from '../security/authc/saml/xml';
import { Actions } from '../security/authz/actions';
import type { RoleMappings } from '../security/authz/role-mapping/role-mappings';
import { logger } from '../telemetry/logger';
import type { SessionPairs } from '../tokens/session-pairs';
import type { TokenInvalidation } from '../tokens/token-invalidation';
import { PAIR_LIFETIME_MS } from '../tokens/token-pair';
import type { TokenService } from '../tokens/token-service';
import type { TokenStore } from '../tokens/token-store';
import { invalidateSession } from './saml-session-invalidation';
import { firstAuthenticated, issueSsoPair } from './sso-login';
import type { SsoRealms } from './sso-realms';

const SAML_REALM_TYPE = 'saml';

/** SAML-A-3 */
export interface SamlAuthenticateResponse {
  readonly username: string;
  readonly realm: string;
  readonly access_token: string;
  readonly refresh_token: string;
  readonly expires_in: number;
  readonly authentication: Authentication;
  readonly in_response_to?: string;
}

export interface SamlServiceOptions {
  readonly realms: SsoRealms<SamlRealm>;
  readonly roleMappings: RoleMappings;
  readonly tokens: TokenService;
  readonly invalidation: TokenInvalidation;
  readonly store: TokenStore;
  /** SAML-I-4: a session's pairs, by the session. */
  readonly sessionPairs: SessionPairs;
  readonly clock: Clock;
  /** The assertions accepted before, each refused when it comes again (used once). */
  readonly usedAssertions: UsedAssertions;
}

/** COMMON-6: what the facilitator is told when the end user is not authenticated; the cause is only logged. */
function authenticationFailed(): AuthenticationError {
  return new AuthenticationError(
    `unable to authenticate user [<unauthenticated-saml-user>] for action [${Actions.samlAuthenticate.name}]`,
  );
}

/** SAML-A-1: whitespace is stripped before decoding; anything that is not base64 is a 400. */
function decodeContent(content: string): string {
  const compact = content.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) {
    throw new IllegalArgumentError('Illegal base64 character in SAML content');
  }
  return Buffer.from(compact, 'base64').toString('utf8');
}

/** The SAML APIs over the realms of elasticsearch.yml (TransportSaml* actions). */
export class SamlService {
  constructor(private readonly options: SamlServiceOptions) {}

  /** SAML-P-2 (house rule: Elasticsearch's 500s are 400s with the same type and reason). */
  private async findRealm(filter: { realm?: string; acs?: string }): Promise<SamlRealm> {
    const found = (await this.options.realms()).filter(
      (r) => (filter.realm === undefined || r.name === filter.realm) && (filter.acs === undefined || r.config.acs === filter.acs),
    );
    const description = [
      ...(filter.realm !== undefined ? [`realm=${filter.realm}`] : []),
      ...(filter.acs !== undefined ? [`acs=${filter.acs}`] : []),
    ].join(', ');
    if (found.length === 0) throw new SecurityRequestError(`Cannot find any matching realm for [${description}]`);
    if (found.length > 1) {
      throw new SecurityRequestError(
        `Found multiple matching realms [${found.map((r) => r.name).join(', ')}] for [${description}]`,
      );
    }
    return found[0] as SamlRealm;
  }

  /** SAML-P-1..SAML-P-5 */
  async prepare(request: PrepareRequest): Promise<{ realm: string; id: string; redirect: string }> {
    const realm = await this.findRealm({ realm: request.realm, acs: request.acs });
    try {
      return { realm: realm.name, ...(await realm.prepare(request.relay_state)) };
    } catch (error) {
      if (!(error instanceof SamlAuthenticationFailure)) throw error;
      throw new SecurityRequestError(error.message);
    }
  }

  /** COMMON-7: the realm named, or each realm in order until one authenticates the user. */
  private async authenticateUser(request: AuthenticateRequest): Promise<{ realm: SamlRealm; user: AcceptedSamlUser }> {
    const xml = decodeContent(request.content);
    const realms = await this.options.realms();
    const candidates = request.realm === undefined ? realms : realms.filter((r) => r.name === request.realm);
    // Only the step that failed is logged: never the Response, its assertion or its attributes.
    return firstAuthenticated(candidates, (realm) => realm.authenticate(xml, request.content, request.ids), {
      isFailure: (error) => error instanceof SamlAuthenticationFailure,
      protocol: 'SAML',
      refused: authenticationFailed,
    });
  }

  /** SAML-A-3, SAML-U-5, COMMON-1, COMMON-5: roles by role mapping, a pair for the user created by the caller. */
  async authenticate(request: AuthenticateRequest, caller: Authentication): Promise<SamlAuthenticateResponse> {
    const { realm, user } = await this.authenticateUser(request);
    await this.useOnce(realm, user.assertion);
    const realmRef = { name: realm.name, type: SAML_REALM_TYPE };
    const pair = await issueSsoPair(this.options, realmRef, user, caller, {
      refused: authenticationFailed,
      tokenMetadata: user.tokenMetadata,
    });
    return {
      username: user.principal,
      realm: realm.name,
      access_token: pair.accessToken,
      refresh_token: pair.refreshToken,
      expires_in: pair.expiresIn,
      authentication: pair.authentication,
      ...(user.inResponseTo !== undefined && { in_response_to: user.inResponseTo }),
    };
  }

  /**
   * A bearer assertion is used once (saml-profiles §4.1.4.5, beyond Elasticsearch): its ID is kept until the
   * assertion expires, so a replay, with the same `ids` or not, is the generic 401 and mints no pair. Marked
   * before the pair is written: a login whose pair then fails has spent its assertion, as the user would log in
   * at the IdP again anyway. An assertion without NotOnOrAfter is kept as long as its pair could live.
   */
  private async useOnce(realm: SamlRealm, assertion: AssertionUse): Promise<void> {
    const now = this.options.clock();
    const keepUntil = assertion.keepUntil ?? now + PAIR_LIFETIME_MS;
    if (!(await this.options.usedAssertions.firstUse({ ...assertion, keepUntil }, now))) {
      logger.info('SAML authentication failed', { realm: realm.name, reason: 'SAML assertion was used before' });
      throw authenticationFailed();
    }
  }

  /** SAML-L-2..SAML-L-4, TOK-6: the refresh token if given, the LogoutRequest, then the access token. */
  async logout(request: LogoutRequest): Promise<{ id: string | null; redirect: string | null }> {
    const { tokens, invalidation } = this.options;
    if (request.refresh_token !== undefined) {
      await invalidation.invalidate({ kind: 'refresh_token', refreshToken: request.refresh_token }, 'saml_logout');
    }
    let resolved: Awaited<ReturnType<TokenService['resolve']>>;
    try {
      resolved = await tokens.resolve(request.token);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      throw new SecurityRequestError('supplied token is not valid');
    }
    const realmName = resolved.authentication.authentication_realm.name;
    if (resolved.authentication.authentication_realm.type !== SAML_REALM_TYPE) {
      throw new SecurityRequestError(`Authenticating realm {${realmName}} is not a SAML realm`);
    }
    const realm = (await this.options.realms()).find((r) => r.name === realmName);
    if (realm === undefined) throw new SecurityRequestError(`Authenticating realm {${realmName}} does not exist`);
    const metadata = resolved.tokenMetadata;
    if (metadata?.saml_nameid_val === undefined) {
      throw new SecurityRequestError('Access token does not have SAML metadata [saml_nameid_val]');
    }
    const logoutRequest = await realm.logoutRequest(metadata);
    await invalidation.invalidate({ kind: 'token', token: request.token }, 'saml_logout');
    return { id: logoutRequest?.id ?? null, redirect: logoutRequest?.redirect ?? null };
  }

  /** SAML-I-1..SAML-I-5: the IdP's LogoutRequest ends the pairs of its session; answers the LogoutResponse. */
  async invalidate(request: InvalidateRequest): Promise<{ realm: string; invalidated: number; redirect: string }> {
    const realm = await this.findRealm({ realm: request.realm, acs: request.acs });
    let found: Awaited<ReturnType<SamlRealm['readLogoutRequest']>>;
    try {
      found = await realm.readLogoutRequest(request.query_string);
    } catch (error) {
      if (!(error instanceof SamlAuthenticationFailure)) throw error;
      logger.info('SAML logout request refused', { realm: realm.name, reason: error.message });
      throw new SecurityRequestError(error.message);
    }
    let invalidated = 0;
    if (found.nameId !== undefined) {
      invalidated = await invalidateSession(
        { ...this.options, refreshLifetimeMs: this.options.tokens.refreshLifetimeMs },
        realm.name,
        tokenMetadataOf(realm.name, found.nameId, found.session),
      );
      await this.options.invalidation.announceSession(realm.name, invalidated);
    }
    return { realm: realm.name, invalidated, redirect: await realm.logoutResponse(found) };
  }

  /** SAML-C-1..SAML-C-4 */
  async completeLogout(request: CompleteLogoutRequest): Promise<Record<string, never>> {
    const realm = await this.findRealm({ realm: request.realm });
    try {
      await realm.completeLogout(request.ids, request.query_string, request.content);
    } catch (error) {
      if (!(error instanceof SamlAuthenticationFailure)) throw error;
      logger.info('SAML logout response refused', { realm: realm.name, reason: error.message });
      throw new SecurityRequestError(error.message);
    }
    return {};
  }

  /** SAML-M-1, SAML-M-2 */
  async metadata(realmName: string): Promise<{ metadata: string }> {
    const realm = (await this.options.realms()).find((r) => r.name === realmName);
    if (realm === undefined) throw new SecurityRequestError(`Cannot find any matching realm for [${realmName}]`);
    return { metadata: realm.metadata() };
  }
}
