import { logger } from '../telemetry/logger';

/**
 * What an invalidation covered, as other systems are told it: never a token, nor anything derived from one.
 * A single token is named by its half only; a realm- or user-wide one by its realm and username; a SAML
 * session (an IdP's LogoutRequest) by its realm.
 */
export type RevocationScope =
  | { readonly type: 'token'; readonly half: 'access' | 'refresh' }
  | { readonly type: 'realm_or_user'; readonly realm?: string; readonly username?: string }
  | { readonly type: 'saml_session'; readonly realm: string };

/** Which API invalidated: the invalidate-token API, or a single sign-on logout. */
export type RevocationCause = 'invalidate_token' | 'oidc_logout' | 'saml_logout' | 'saml_invalidate';

/** One invalidation, announced once it took effect (a realm's watermark is written before its sweep answers). */
export interface Revocation {
  readonly cause: RevocationCause;
  readonly scope: RevocationScope;
  /** The counts the API answered (IV-4; the pairs of a SAML session, as saml/invalidate answers them). */
  readonly invalidatedTokens: number;
  readonly previouslyInvalidatedTokens: number;
  readonly errorCount: number;
  /** A realm- or user-wide sweep goes on in the background: the counts are those reached so far. */
  readonly continuing: boolean;
  /** Epoch milliseconds of the invalidating request. */
  readonly at: number;
}

/** Where revocations are announced (EventBridge when deployed: aws/eventbridge-revocation-events.ts). */
export interface RevocationEvents {
  announce(revocation: Revocation): Promise<void>;
}

/** No bus configured: nothing is announced. */
export const NO_REVOCATION_EVENTS: RevocationEvents = { announce: async () => undefined };

/**
 * The longest an invalidation waits for its announcement. The revocation has taken effect before it is
 * announced, so an announcement that fails or hangs must not fail the invalidation nor hold its answer:
 * past this wait the answer goes out and the announcement is reported as not made.
 */
export const REVOCATION_EVENT_WAIT_MS = 1_000;

export interface BoundedOptions {
  readonly waitMs?: number;
  /** Starts the wait; tests pass their own to see the bound asked for. */
  readonly wait?: (ms: number) => { readonly elapsed: Promise<void>; cancel(): void };
}

const timer = (ms: number) => {
  let handle: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    handle = setTimeout(resolve, ms);
  });
  return { elapsed, cancel: () => clearTimeout(handle) };
};

/** Announcements that never reject and never take longer than the wait; a failure is logged, never thrown. */
export function boundedRevocationEvents(events: RevocationEvents, options: BoundedOptions = {}): RevocationEvents {
  if (events === NO_REVOCATION_EVENTS) return events;
  const waitMs = options.waitMs ?? REVOCATION_EVENT_WAIT_MS;
  const wait = options.wait ?? timer;
  return {
    announce: async (revocation) => {
      const bound = wait(waitMs);
      const sent = events.announce(revocation).then(
        () => 'sent' as const,
        (error: unknown) => {
          logger.warn('revocation event not sent', { cause: revocation.cause, errorName: (error as Error)?.name });
          return 'failed' as const;
        },
      );
      const outcome = await Promise.race([sent, bound.elapsed.then(() => 'late' as const)]);
      bound.cancel();
      if (outcome === 'late') logger.warn('revocation event not confirmed in time', { cause: revocation.cause, waitMs });
    },
  };
}
