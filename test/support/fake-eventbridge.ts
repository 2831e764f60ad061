import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useFakeAwsService } from './fake-aws-service';

/** How the fake answers PutEvents: as EventBridge does, with a 500, with the entry refused, or never. */
type EventBridgeBehaviour = 'accept' | 'fail' | 'refuse' | 'hang';

interface PutEntry {
  readonly EventBusName: string;
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly Time?: number;
}

export interface FakeEventBridge {
  /** For `AWS_ENDPOINT_URL_EVENTBRIDGE`, the SDK's own endpoint override. */
  readonly endpoint: string;
  /** Every entry of every PutEvents call received, in order, whatever the fake answered. */
  readonly entries: PutEntry[];
  behaviour: EventBridgeBehaviour;
  close(): Promise<void>;
}

/**
 * A stand-in for the one EventBridge call the service makes (PutEvents, AWS JSON 1.1 protocol), so the real
 * SDK client is exercised end to end without an AWS account. It records the entries and answers as told,
 * including not at all (a connection that hangs), to show that an invalidation does not wait on it.
 */
export async function startFakeEventBridge(): Promise<FakeEventBridge> {
  const hanging: ServerResponse[] = [];
  const fake: FakeEventBridge = {
    endpoint: '',
    entries: [],
    behaviour: 'accept',
    close: () =>
      new Promise((resolve) => {
        for (const response of hanging) response.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += String(chunk);
    });
    request.on('end', () => {
      const { Entries = [] } = JSON.parse(body || '{}') as { Entries?: PutEntry[] };
      if (request.headers['x-amz-target'] === 'AWSEvents.PutEvents') fake.entries.push(...Entries);
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      if (fake.behaviour === 'hang') return void hanging.push(response);
      if (fake.behaviour === 'fail') {
        response.writeHead(500);
        return void response.end(JSON.stringify({ __type: 'InternalException', message: 'injected' }));
      }
      const refused = fake.behaviour === 'refuse';
      response.writeHead(200);
      response.end(
        JSON.stringify({
          FailedEntryCount: refused ? Entries.length : 0,
          Entries: Entries.map((_, i) =>
            refused ? { ErrorCode: 'InternalFailure', ErrorMessage: 'injected' } : { EventId: `event-${i}` },
          ),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, { endpoint: `http://127.0.0.1:${port}` });
}

/** The fake for a whole test file (fake-aws-service.ts). */
export function useFakeEventBridge(): () => FakeEventBridge {
  return useFakeAwsService('AWS_ENDPOINT_URL_EVENTBRIDGE', startFakeEventBridge, 'EventBridge');
}
