import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import { AuthenticationError, OAuth2Error, StorageUnavailableError, TamperedTokenError, TokenExpiredError } from '../errors';
import { type Authentication, asTokenAuthentication, type TokenClient } from '../security/authc/authentication';
import { type AuthenticatingUser, authenticatingUserOf, restoreRunAs } from '../security/authz/run-as';
import { isRevoked, scopeOfPair } from './revocation';
import { digestsOf, sameDigests } from './scope-digest';
import { openSuccessor, type SuccessorTokens, sealSuccessor } from './superseding';
import { isAccessExpired, isPairExpired, PAIR_LIFETIME_MS, REFRESH_REPEAT_WINDOW_MS, type TokenPair } from './token-pair';
import type { PairRef, ReadPair, TokenStore } from './token-store';
import {
  decodeToken,
  encodeToken,
  hashSecret,
  newPairId,
  newSecret,
  type RandomBytes,
  secretMatches,
  type TokenParts,
} from './token-string';

export interface TokenServiceOptions {
  readonly store: TokenStore;
  readonly clock: Clock;
  /** GT-12, already validated by the configuration. */
  readonly accessTokenTimeoutMs: number;
  /** RF-1: REFRESH_TOKEN_LIFETIME, already validated; Elasticsearch's 24 h by default. */
  readonly refreshLifetimeMs?: number;
  readonly random?: RandomBytes;
  /** LC-2 (REFRESH_REUSE_DETECTION): told of a refresh token reused past its window; none: Elasticsearch's behaviour. */
  readonly reuse?: ReuseDetection;
}

/** LC-2: what a refresh token reused past its 30-second window sets off (tokens/lifecycle/refresh-reuse.ts). */
export interface ReuseDetection {
  revokeFamily(pair: TokenPair, refreshSecret: Buffer): Promise<void>;
}

/** One try at rotating a pair: the successor it would answer, and whether it was stored or how it failed. */
interface RotationAttempt {
  readonly tokens: SuccessorTokens;
  readonly rotated: boolean;
  readonly failure?: StorageUnavailableError;
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
  /** Kept with the pair for the realm's logout, never shown (TokenPair.tokenMetadata). */
  readonly tokenMetadata?: Readonly<Record<string, string>>;
  /** Who authenticated a run-as `authentication`; by default, its run-as record's (TokenPair.authenticatingUser). */
  readonly authenticatingUser?: AuthenticatingUser;
}

/** The pair's user, now authenticated by token: still a run-as when the pair was minted under one. */
function tokenAuthenticationOf(pair: TokenPair): Authentication {
  const authentication = asTokenAuthentication(pair.authentication);
  return pair.authenticatingUser === undefined ? authentication : restoreRunAs(authentication, pair.authenticatingUser);
}

export interface RefreshedTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** GT-11: the user of the pair, now authenticated by token. */
  readonly authentication: Authentication;
}

/** An access token as resolved: its user, the realm's token metadata, and its pair's times (epoch ms). */
export interface ResolvedToken {
  readonly authentication: Authentication;
  readonly tokenMetadata?: Readonly<Record<string, string>>;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/** RF-2..RF-6 are all answered as OAuth2 `invalid_grant`. */
function invalidGrant(description: string): OAuth2Error {
  return new OAuth2Error('invalid_grant', description);
}

/**
 * A refresh can lose a race at most to one other refresh or an invalidation; after that the re-read pair
 * answers. More rounds than this means the storage is not behaving, which is a 503, not a loop.
 */
const MAX_REFRESH_ROUNDS = 3;

/** AU-5: the text and extra key Elasticsearch gives for a Bearer token it cannot resolve. */
function invalidBearerTokenError(): AuthenticationError {
  return new AuthenticationError(INVALID_BEARER_TOKEN, INVALID_BEARER_TOKEN_METADATA);
}

/** Answered exactly as an invalid token: the caller learns nothing of why. */
function tamperedTokenError(): TamperedTokenError {
  return new TamperedTokenError(INVALID_BEARER_TOKEN, INVALID_BEARER_TOKEN_METADATA);
}

const INVALID_BEARER_TOKEN =
  'unable to authenticate with provided credentials and anonymous access is not allowed for this request';
const INVALID_BEARER_TOKEN_METADATA = { additional_unsuccessful_credentials: 'oauth2 token: invalid token' };

/**
 * DESIGN §7: the digests a token carries named the watermarks read with its pair; they must be its pair's
 * own, or the holder could have pointed the read at another scope's (none revoked). A token of the previous
 * version carries none: its watermarks were found from the pair as read.
 */
function carriesScopeOf(parts: TokenParts, pair: ReadPair): boolean {
  return parts.scope === undefined || sameDigests(parts.scope, digestsOf(scopeOfPair(pair)));
}

/** What the store needs of a presented token: never its secret. */
function pairRefOf({ pairId, scope }: TokenParts): PairRef {
  return scope === undefined ? { pairId } : { pairId, scope };
}

/** Issues token pairs and resolves access tokens. Knows nothing of HTTP or DynamoDB. */
export class TokenService {
  readonly accessTokenTimeoutMs: number;
  readonly refreshLifetimeMs: number;
  private readonly store: TokenStore;
  private readonly clock: Clock;
  private readonly random: RandomBytes;
  private readonly reuse: ReuseDetection | undefined;

  constructor(options: TokenServiceOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.accessTokenTimeoutMs = options.accessTokenTimeoutMs;
    this.refreshLifetimeMs = options.refreshLifetimeMs ?? PAIR_LIFETIME_MS;
    this.random = options.random ?? randomBytes;
    this.reuse = options.reuse;
  }

  /** One conditional write; the tokens are returned only once the pair is stored. */
  async issue(request: IssueRequest): Promise<IssuedTokens> {
    const issued = this.newPair(request, this.clock());
    await this.store.create(issued.pair);
    return issued;
  }

  /**
   * RF-1..RF-8: exchanges a refresh token for a new pair of the same user, once. The old pair is marked
   * and the new one stored in one transaction, and a repeat within 30 seconds (or a concurrent refresh
   * that lost the race) answers the same new pair, read back from the old one.
   */
  async refresh(refreshToken: string, caller: TokenClient): Promise<RefreshedTokens> {
    const parts = decodeToken(refreshToken);
    if (parts === undefined || parts.kind !== 'refresh') throw invalidGrant('could not refresh the requested token');
    let attempt: RotationAttempt | undefined;
    for (let round = 0; round < MAX_REFRESH_ROUNDS; round++) {
      const pair = await this.store.get(pairRefOf(parts));
      const now = this.clock();
      if (pair === undefined || !secretMatches(parts.secret, pair.refreshHash) || !carriesScopeOf(parts, pair)) {
        throw invalidGrant('could not refresh the requested token'); // RF-2
      }
      if (isPairExpired(pair, now, this.refreshLifetimeMs)) throw invalidGrant('token document has expired'); // RF-3
      // RF-4, and a realm- or user-wide invalidation whose sweep has not reached this pair yet.
      if (pair.refreshInvalidated || isRevoked(pair.createdAt, pair.latestRevocation)) {
        throw invalidGrant('token has been invalidated');
      }
      if (pair.client.username !== caller.username || pair.client.realm !== caller.realm) {
        throw invalidGrant('tokens must be refreshed by the creating client'); // RF-5
      }
      const authentication = tokenAuthenticationOf(pair);
      if (pair.refreshedAt !== undefined) {
        return { ...(await this.successorOf(pair, parts.secret, now, attempt?.tokens)), authentication }; // RF-6
      }
      // The write this request tried failed, and was not applied after all.
      if (attempt?.failure !== undefined) throw attempt.failure;
      attempt = await this.rotate(parts, pair, now);
      if (attempt.rotated) return { ...attempt.tokens, authentication };
      // Another refresh or an invalidation won, or the reply was lost: read the pair again and answer from what it says now.
    }
    throw new StorageUnavailableError('token', 'refresh token pair');
  }

  /** RF-7, RF-8: one transaction marks the old pair and stores its successor, which lives from now. */
  private async rotate(parts: TokenParts, pair: TokenPair, now: number): Promise<RotationAttempt> {
    const successor = this.newPair(
      {
        authentication: pair.authentication,
        client: pair.client,
        withRefreshToken: true,
        tokenMetadata: pair.tokenMetadata,
        authenticatingUser: pair.authenticatingUser,
      },
      now,
      pair.id,
    );
    const tokens = { accessToken: successor.accessToken, refreshToken: successor.refreshToken as string };
    const mark = {
      refreshedAt: now,
      superseding: sealSuccessor(tokens, parts.secret, pair.id, this.random),
      createdNotBefore: now - this.refreshLifetimeMs,
      oldCreatedAt: pair.createdAt,
    };
    try {
      // RF-8: the answer is sent only after the transaction stored the successor.
      return { tokens, rotated: (await this.store.rotate(pairRefOf(parts), mark, successor.pair)) === 'rotated' };
    } catch (failure) {
      // LC-2: DynamoDB may have applied the transaction and only its reply was lost: the pair, read again, tells,
      // and the client gets its successor rather than a 503 whose retry, past the window, would look like a reuse.
      // Without detection, the 503 as before (the retry within 30 s gets the successor, RF-6).
      if (!(failure instanceof StorageUnavailableError) || this.reuse === undefined) throw failure;
      return { tokens, rotated: false, failure };
    }
  }

  /**
   * RF-6: within the window, the successor sealed under the presented refresh secret; past it, an error. A
   * successor this very request stored (its reply lost) is its own answer whenever it is read back: a lost
   * reply is never a reuse. LC-2: past the window, a reuse, whose family is revoked when detection is on.
   */
  private async successorOf(pair: TokenPair, refreshSecret: Buffer, now: number, own?: SuccessorTokens) {
    const successor = pair.superseding === undefined ? undefined : openSuccessor(pair.superseding, refreshSecret, pair.id);
    const isOwn = own !== undefined && successor?.accessToken === own.accessToken;
    if (!isOwn && now > (pair.refreshedAt as number) + REFRESH_REPEAT_WINDOW_MS) {
      await this.reuse?.revokeFamily(pair, refreshSecret);
      throw invalidGrant('token has already been refreshed more than 30 seconds in the past');
    }
    // The secret matched the stored hash, so only corrupted storage can leave the successor unreadable.
    if (successor === undefined) throw invalidGrant('could not refresh the requested token');
    return successor;
  }

  private newPair(request: IssueRequest, now: number, refreshedFrom?: string): IssuedTokens {
    const id = newPairId(this.random);
    const accessSecret = newSecret(this.random);
    const refreshSecret = request.withRefreshToken ? newSecret(this.random) : undefined;
    const authenticatingUser = request.authenticatingUser ?? authenticatingUserOf(request.authentication);
    const pair: TokenPair = {
      id,
      accessHash: hashSecret(accessSecret),
      ...(refreshSecret && { refreshHash: hashSecret(refreshSecret) }),
      createdAt: now,
      endsAt: now + this.refreshLifetimeMs,
      accessExpiresAt: now + this.accessTokenTimeoutMs,
      accessInvalidated: false,
      refreshInvalidated: false,
      // The snapshot is of the user as authenticated by a realm; reading it back through a token
      // turns its authentication_type into `token`.
      authentication: request.authentication,
      client: request.client,
      ...(refreshedFrom !== undefined && { refreshedFrom }),
      ...(authenticatingUser !== undefined && { authenticatingUser }),
      ...(request.tokenMetadata !== undefined && { tokenMetadata: request.tokenMetadata }),
    };
    const scope = digestsOf(scopeOfPair(pair));
    return {
      accessToken: encodeToken('access', id, accessSecret, refreshSecret === undefined, scope),
      ...(refreshSecret && { refreshToken: encodeToken('refresh', id, refreshSecret, false, scope) }),
      pair,
    };
  }

  /**
   * AU-1, AU-2: resolves a Bearer access token with one consistent read (of the pair and its watermarks).
   * Throws AU-5 for anything unknown (including pairs past their lifetime, AU-6) and AU-4 for expired or invalidated,
   * a pair covered by a revocation watermark being invalidated.
   */
  async authenticate(accessToken: string): Promise<Authentication> {
    return (await this.resolve(accessToken)).authentication;
  }

  /** AU-1, AU-2 as `authenticate`, with the realm's token metadata of the pair (SAML-L-2 reads it to log out). */
  async resolve(accessToken: string): Promise<ResolvedToken> {
    const parts = decodeToken(accessToken);
    if (parts === undefined || parts.kind !== 'access') throw invalidBearerTokenError();
    const pair = await this.store.get(pairRefOf(parts));
    const now = this.clock();
    if (pair === undefined || !secretMatches(parts.secret, pair.accessHash) || isPairExpired(pair, now, this.refreshLifetimeMs)) {
      throw invalidBearerTokenError();
    }
    // The pair's own secret with parts that disagree with the pair: a token changed after it was issued.
    if (!carriesScopeOf(parts, pair) || parts.soleHalf !== (pair.refreshHash === undefined)) {
      throw tamperedTokenError();
    }
    if (pair.accessInvalidated || isRevoked(pair.createdAt, pair.latestRevocation) || isAccessExpired(pair, now)) {
      throw new TokenExpiredError();
    }
    return {
      authentication: tokenAuthenticationOf(pair),
      tokenMetadata: pair.tokenMetadata,
      issuedAt: pair.createdAt,
      expiresAt: pair.accessExpiresAt,
    };
  }
}
