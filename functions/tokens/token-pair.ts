import type { Authentication, TokenClient } from '../security/authc/authentication';
import type { AuthenticatingUser } from '../security/authz/run-as';

/**
 * RF-1: a refresh token, and so the whole pair, lives 24 hours from the pair's creation: Elasticsearch's fixed
 * lifetime, the default of REFRESH_TOKEN_LIFETIME, and the life of a pair stored without `endsAt`.
 */
export const PAIR_LIFETIME_MS = 24 * 60 * 60 * 1_000;

/**
 * RF-6: for this long after a refresh, the same refresh answers the same successor. Concurrent clients
 * (several browser tabs, retries after a lost response) then converge on one pair instead of failing.
 */
export const REFRESH_REPEAT_WINDOW_MS = 30 * 1_000;

/**
 * One token pair: an access half and (except for client_credentials) a refresh half.
 * Only hashes of the two secrets are kept; the token strings exist only in the response that issued them.
 */
export interface TokenPair {
  readonly id: string;
  readonly accessHash: string;
  /** Absent for client_credentials pairs (GT-8). */
  readonly refreshHash?: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly accessExpiresAt: number;
  readonly accessInvalidated: boolean;
  readonly refreshInvalidated: boolean;
  /**
   * When the pair's life ends as it was issued: its creation plus the refresh lifetime of then (RF-1). Absent
   * on pairs stored before the lifetime was a setting: theirs is 24 h.
   */
  readonly endsAt?: number;
  /** The user the tokens authenticate as, as it was when the pair was created (AU-3 fields). */
  readonly authentication: Authentication;
  /**
   * Who authenticated, when `authentication` is a run-as (Elasticsearch's token keeps both subjects of its
   * Authentication): the pair then authenticates as the run-as, which ignores a further run-as header and
   * is authorized again on each use. Absent for other pairs, and for pairs stored before it was kept.
   */
  readonly authenticatingUser?: AuthenticatingUser;
  /** The caller of get-token that created the pair (RF-5). */
  readonly client: TokenClient;
  /**
   * The pair whose refresh created this one: a family (the pairs descended from one grant) is walked back by
   * it when a refresh token is reused (LC-2). Absent on a grant's pair, and on pairs stored before it was kept.
   */
  readonly refreshedFrom?: string;
  /** When the refresh token was used (RF-6); absent until then. */
  readonly refreshedAt?: number;
  /** The successor pair's tokens, sealed under the refresh secret (superseding.ts); set with refreshedAt. */
  readonly superseding?: string;
  /**
   * What a realm keeps with the pair for its own logout, never shown to a client (TOK-3; SAML-U-4's
   * NameID and session). Copied to the successor by a refresh (TOK-4).
   */
  readonly tokenMetadata?: Readonly<Record<string, string>>;
}

/**
 * AU-6, IV-7: past its lifetime a pair is treated exactly as a missing one, whatever the storage still holds.
 * The lifetime is the shorter of the one configured now and the one it was issued with: lowering the setting
 * ends older pairs at once, and raising it never revives a pair that had expired (its watermarks are gone).
 */
export function isPairExpired(
  pair: Pick<TokenPair, 'createdAt' | 'endsAt'>,
  now: number,
  lifetimeMs: number = PAIR_LIFETIME_MS,
): boolean {
  return now > Math.min(pair.createdAt + lifetimeMs, pair.endsAt ?? pair.createdAt + PAIR_LIFETIME_MS);
}

/** Valid up to and including the instant of expiry, as Elasticsearch (`now.isAfter(expiry)`). */
export function isAccessExpired(pair: Pick<TokenPair, 'accessExpiresAt'>, now: number): boolean {
  return now > pair.accessExpiresAt;
}
