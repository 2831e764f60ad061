import { AuthenticationError } from '../errors';
import type { Authentication } from '../security/authc/authentication';
import { parseAuthorization } from '../security/authc/credentials';
import type { RealmChain } from '../security/authc/realm';
import type { TokenService } from '../tokens/token-service';

/** What authenticating Basic credentials needs of the realm chain. */
export type ChainOfRealms = Pick<RealmChain, 'authenticate' | 'realms'>;

/** Authenticates the caller of any endpoint: Basic through the realm chain, Bearer through the token service. */
export class RequestAuthenticator {
  constructor(
    private readonly realms: ChainOfRealms,
    private readonly tokens: TokenService,
  ) {}

  /**
   * `requestUri` is the path (and query) that Elasticsearch quotes in its messages; `observe`, when the request is
   * audited, wraps the realms so that each one that tried Basic credentials and did not authenticate them is heard
   * of (audit/audited-realms.ts). A parameter rather than an import: the authorizer's bundle, which has no realms,
   * then holds no realm code.
   */
  async authenticate(
    authorization: string | undefined,
    requestUri: string,
    observe?: (realms: ChainOfRealms) => ChainOfRealms,
  ): Promise<Authentication> {
    const credentials = parseAuthorization(authorization);
    if (credentials === undefined) {
      throw new AuthenticationError(`missing authentication credentials for REST request [${requestUri}]`); // ER-8
    }
    if (credentials.scheme === 'bearer') return this.tokens.authenticate(credentials.token); // AU-1, AU-2
    const realms = observe === undefined ? this.realms : observe(this.realms);
    const authentication = await realms.authenticate(credentials.username, credentials.password);
    if (authentication === undefined) {
      throw new AuthenticationError(`unable to authenticate user [${credentials.username}] for REST request [${requestUri}]`); // ER-9
    }
    return authentication;
  }
}
