import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import { AuthenticationError, TokenExpiredError } from '../errors';
import { type Authentication, asTokenAuthentication, type TokenClient } from '../security/authentication';
import { isAccessExpired, isPairExpired, type TokenPair } from './token-pair';
import type { TokenStore } from './token-store';
import { decodeToken, encodeToken, hashSecret, newPairId, newSecret, type RandomBytes, secretMatches } from './token-string';

export interface TokenServiceOptions {
  readonly store: TokenStore;
  readonly clock: Clock;
  /** GT-12, already validated by the configuration. */
  readonly accessTokenTimeoutMs: number;
  readonly random?: RandomBytes;
}

export interface IssuedTokens {
  readonly accessToken: string;
  /** Absent for client_credentials (GT-8). */
  readonly refreshToken?: string;
  readonly pair: TokenPair;
}

export interface IssueRequest {
  /** The user the tokens will authenticate as. */
  readonly authentication: Authentication;
  /** The caller of get-token (RF-5). */
  readonly client: TokenClient;
  readonly withRefreshToken: boolean;
}

/** AU-5: the text and extra key Elasticsearch gives for a Bearer token it cannot resolve. */
export function invalidBearerTokenError(): AuthenticationError {
  return new AuthenticationError(
    'unable to authenticate with provided credentials and anonymous access is not allowed for this request',
    { additional_unsuccessful_credentials: 'oauth2 token: invalid token' },
  );
}

/** Issues token pairs and resolves access tokens. Knows nothing of HTTP or DynamoDB. */
export class TokenService {
  readonly accessTokenTimeoutMs: number;
  private readonly store: TokenStore;
  private readonly clock: Clock;
  private readonly random: RandomBytes;

  constructor(options: TokenServiceOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.accessTokenTimeoutMs = options.accessTokenTimeoutMs;
    this.random = options.random ?? randomBytes;
  }

  /** One conditional write; the tokens are returned only once the pair is stored. */
  async issue(request: IssueRequest): Promise<IssuedTokens> {
    const now = this.clock();
    const id = newPairId(this.random);
    const accessSecret = newSecret(this.random);
    const refreshSecret = request.withRefreshToken ? newSecret(this.random) : undefined;
    const pair: TokenPair = {
      id,
      accessHash: hashSecret(accessSecret),
      ...(refreshSecret && { refreshHash: hashSecret(refreshSecret) }),
      createdAt: now,
      accessExpiresAt: now + this.accessTokenTimeoutMs,
      accessInvalidated: false,
      refreshInvalidated: false,
      // The snapshot is of the user as authenticated by a realm; reading it back through a token
      // turns its authentication_type into `token`.
      authentication: request.authentication,
      client: request.client,
    };
    await this.store.create(pair);
    return {
      accessToken: encodeToken('access', id, accessSecret),
      ...(refreshSecret && { refreshToken: encodeToken('refresh', id, refreshSecret) }),
      pair,
    };
  }

  /**
   * AU-1, AU-2: resolves a Bearer access token with one consistent read.
   * Throws AU-5 for anything unknown (including pairs past 24 h, AU-6) and AU-4 for expired or invalidated.
   */
  async authenticate(accessToken: string): Promise<Authentication> {
    const parts = decodeToken(accessToken);
    if (parts === undefined || parts.kind !== 'access') throw invalidBearerTokenError();
    const pair = await this.store.get(parts.pairId);
    const now = this.clock();
    if (pair === undefined || !secretMatches(parts.secret, pair.accessHash) || isPairExpired(pair, now)) {
      throw invalidBearerTokenError();
    }
    if (pair.accessInvalidated || isAccessExpired(pair, now)) throw new TokenExpiredError();
    return asTokenAuthentication(pair.authentication);
  }
}
