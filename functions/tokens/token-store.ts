import type { TokenPair } from './token-pair';

/** The storage the token domain needs; the DynamoDB adapter is store/dynamodb-token-store.ts. */
export interface TokenStore {
  /** Stores a new pair; fails if the id is taken (it never is: 128 random bits). */
  create(pair: TokenPair): Promise<void>;
  /** A strongly consistent read: a token answered a moment ago must authenticate now. */
  get(pairId: string): Promise<TokenPair | undefined>;
}
