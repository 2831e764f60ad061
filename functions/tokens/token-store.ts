import type { TokenPair } from './token-pair';

/** How the old pair is marked when its refresh token is used (RF-6). */
export interface RefreshMark {
  readonly refreshedAt: number;
  readonly superseding: string;
  /** RF-3: the old pair must have been created at or after this instant. */
  readonly createdNotBefore: number;
}

/**
 * `rotated`: the old pair is marked and the successor stored, both at once.
 * `lost`: nothing was written, because the old pair was meanwhile refreshed, invalidated or is too old;
 * the caller reads it again to learn which.
 */
export type RotationOutcome = 'rotated' | 'lost';

/** The storage the token domain needs; the DynamoDB adapter is store/dynamodb-token-store.ts. */
export interface TokenStore {
  /** Stores a new pair; fails if the id is taken (it never is: 128 random bits). */
  create(pair: TokenPair): Promise<void>;
  /** A strongly consistent read: a token answered a moment ago must authenticate now. */
  get(pairId: string): Promise<TokenPair | undefined>;
  /**
   * RF-8: marks `oldPairId` refreshed and creates `successor` atomically, provided the old refresh half is
   * not invalidated, not yet refreshed and the pair not expired. Either both writes happen or neither.
   */
  rotate(oldPairId: string, mark: RefreshMark, successor: TokenPair): Promise<RotationOutcome>;
}
