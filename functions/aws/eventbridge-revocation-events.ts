import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { Config } from '../config';
import {
  NO_REVOCATION_EVENTS,
  REVOCATION_EVENT_WAIT_MS,
  type Revocation,
  type RevocationEvents,
} from '../tokens/revocation-events';
import { REVOCATION_DETAIL_TYPE, REVOCATION_EVENT_SOURCE } from './revocation-event-names';

/** The EventBridge API as the announcements use it: a client, or a fake in tests. */
export type PutEventsClient = Pick<EventBridgeClient, 'send'>;

/** The event's `detail`: the scope and the counts, in the invalidate API's own words; never a token. */
function revocationDetail(revocation: Revocation): Record<string, unknown> {
  return {
    cause: revocation.cause,
    scope: revocation.scope,
    invalidated_tokens: revocation.invalidatedTokens,
    previously_invalidated_tokens: revocation.previouslyInvalidatedTokens,
    error_count: revocation.errorCount,
    continuing: revocation.continuing,
  };
}

/** An entry EventBridge did not take is a failure to announce, as a refused call is. */
class RevocationEventRefusedError extends Error {
  constructor(code: string | undefined) {
    super(`EventBridge refused the revocation event: ${code ?? 'no reason given'}`);
    this.name = 'RevocationEventRefusedError';
  }
}

type EventBridgeModule = typeof import('./eventbridge-put');

/** Each revocation as one PutEvents entry on the configured bus (its name or ARN). */
export class EventBridgeRevocationEvents implements RevocationEvents {
  private client?: PutEventsClient;
  private module?: Promise<EventBridgeModule>;

  constructor(
    private readonly busName: string,
    private readonly region: string,
    client?: PutEventsClient,
  ) {
    this.client = client;
  }

  /**
   * Loads the client (eventbridge-put.ts) and builds it at the request's first wait on storage rather than
   * after its invalidation took effect: the function that builds this is about to invalidate, and its cold
   * start then overlaps both with DynamoDB's round trips instead of adding them to them.
   */
  prepare(): void {
    setImmediate(() => void this.load().catch(() => undefined));
  }

  private load(): Promise<{ client: PutEventsClient; PutEventsCommand: EventBridgeModule['PutEventsCommand'] }> {
    this.module ??= import('./eventbridge-put').catch((error: unknown) => {
      this.module = undefined;
      throw error;
    });
    return this.module.then(({ EventBridgeClient, PutEventsCommand }) => {
      // Its own timeouts stay inside the wait the invalidation grants it (revocation-events.ts).
      this.client ??= new EventBridgeClient({
        region: this.region,
        maxAttempts: 2,
        requestHandler: { requestTimeout: REVOCATION_EVENT_WAIT_MS / 2, connectionTimeout: REVOCATION_EVENT_WAIT_MS / 4 },
      });
      return { client: this.client, PutEventsCommand };
    });
  }

  async announce(revocation: Revocation): Promise<void> {
    const { client, PutEventsCommand } = await this.load();
    const reply = await client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.busName,
            Source: REVOCATION_EVENT_SOURCE,
            DetailType: REVOCATION_DETAIL_TYPE,
            Time: new Date(revocation.at),
            Detail: JSON.stringify(revocationDetail(revocation)),
          },
        ],
      }),
    );
    if ((reply.FailedEntryCount ?? 0) > 0) throw new RevocationEventRefusedError(reply.Entries?.[0]?.ErrorCode);
  }
}

/**
 * The announcements of a function that invalidates: on the configured bus, none without a bus. The core bounds
 * them (composition/core.ts, boundedRevocationEvents), whatever adapter it is given.
 */
export function eventBridgeRevocationEvents(config: Config): RevocationEvents {
  const bus = config.revocationEventBus;
  if (bus === undefined || bus === '') return NO_REVOCATION_EVENTS;
  const events = new EventBridgeRevocationEvents(bus, config.region);
  events.prepare();
  return events;
}
