import type { CreationWindow } from './token-store';

/**
 * SAML-I-4: the pairs of one SAML session, found by the session itself (its realm and token metadata), never by
 * reading the realm's pairs: what an IdP-initiated logout reads grows with that session's pairs only.
 */
export interface SessionPairs {
  /** The ids of the session's pairs that had an active half when last written, created within `window`. */
  pairIdsOf(realm: string, session: Readonly<Record<string, string>>, window: CreationWindow): Promise<string[]>;
}
