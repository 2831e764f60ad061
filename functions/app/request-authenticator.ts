import { observedRealms, type RealmFailureListener } from '../audit/audited-realms';
import { AuthenticationError } from '../errors';
import type { Authentication } from '../security/authc/authentication';
import { parseAuthorization } from '../security/authc/credentials';
import type { RealmChain } from '../security/authc/realm';
import type { TokenService } from '../tokens/token-service';

/** Authenticates the caller of any endpoint: Basic through the realm chain, Bearer through the token service. */
export class RequestAuthenticator {
  constructor(
    private readonly realms: RealmChain,
    private readonly tokens: TokenService,
  ) {}

  /**
   * `requestUri` is the path (and query) that Elasticsearch quotes in its messages; `onRealmFailure`, when the
   * request is audited, hears of each realm that tried Basic credentials and did not authenticate them.
   */
  async authenticate(
    authorization: string | undefined,
    requestUri: string,
    onRealmFailure?: RealmFailureListener,
  ): Promise<Authentication> {
    const credentials = parseAuthorization(authorization);
    if (credentials === undefined) {
      throw new AuthenticationError(`missing authentication credentials for REST request [${requestUri}]`); // ER-8
    }
    if (credentials.scheme === 'bearer') return this.tokens.authenticate(credentials.token); // AU-1, AU-2
    const realms = onRealmFailure === undefined ? this.realms : observedRealms(this.realms, onRealmFailure);
    const authentication = await realms.authenticate(credentials.username, credentials.password);
    if (authentication === undefined) {
      throw new AuthenticationError(`unable to authenticate user [${credentials.username}] for REST request [${requestUri}]`); // ER-9
    }
    return authentication;
  }
}
