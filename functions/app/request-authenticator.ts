import { AuthenticationError } from '../errors';
import type { Authentication } from '../security/authc/authentication';
import { parseAuthorization } from '../security/authc/credentials';
import type { RealmChain } from '../security/authc/realm';
import type { TokenService } from '../tokens/token-service';

/** Authenticates the caller of any endpoint: Basic through the realm chain, Bearer through the token service. */
export class RequestAuthenticator {
  constructor(
    private readonly realms: Pick<RealmChain, 'authenticate'>,
    private readonly tokens: TokenService,
  ) {}

  /** `requestUri` is the path (and query) that Elasticsearch quotes in its messages. */
  async authenticate(authorization: string | undefined, requestUri: string): Promise<Authentication> {
    const credentials = parseAuthorization(authorization);
    if (credentials === undefined) {
      throw new AuthenticationError(`missing authentication credentials for REST request [${requestUri}]`); // ER-8
    }
    if (credentials.scheme === 'bearer') return this.tokens.authenticate(credentials.token); // AU-1, AU-2
    const authentication = await this.realms.authenticate(credentials.username, credentials.password);
    if (authentication === undefined) {
      throw new AuthenticationError(`unable to authenticate user [${credentials.username}] for REST request [${requestUri}]`); // ER-9
    }
    return authentication;
  }
}
