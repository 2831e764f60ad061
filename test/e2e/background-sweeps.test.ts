import type { InvokeCommand } from '@aws-sdk/client-lambda';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { LambdaSweepContinuation } from '../../functions/aws/lambda-sweep-continuation';
import { type FailureQueue, redriveFailedSweeps } from '../../functions/aws/sweep-redrive';
import { createInvalidateFunction } from '../../functions/handlers/invalidate-token';
import { lambdaContext } from '../../infra/local/server';
import { scanAll } from '../support/dynamodb';
import { withFaults } from '../support/faults';
import { USERS } from '../support/file-realm';
import { captureLog } from '../support/log-capture';
import { call, passwordGrant, startTestApi, type TestApi } from '../support/test-api';

const TOKEN = '/_security/oauth2/token';

/**
 * Lambda's asynchronous invocation, faked (DynamoDB Local lacks it): each event is run by the function's
 * handler after the invoke returned, a failed run is retried twice, and an event that still fails goes to
 * the on-failure destination, as the stack configures it (infra/background-sweeps.ts).
 */
class FakeLambda {
  readonly destination: { body: string; receipt: string }[] = [];
  readonly invoked: unknown[] = [];
  private readonly running = new Set<Promise<void>>();
  handler: (event: unknown, context: Context) => Promise<unknown> = async () => undefined;

  async send(command: InvokeCommand): Promise<{ StatusCode: number }> {
    expect(command.input.InvocationType).toBe('Event');
    const event = JSON.parse(Buffer.from(command.input.Payload as Uint8Array).toString('utf8')) as unknown;
    this.invoked.push(event);
    const run = (async () => {
      await new Promise((resolve) => setImmediate(resolve));
      for (let attempt = 0; attempt <= 2; attempt++) {
        try {
          return void (await this.handler(event, lambdaContext('invalidateToken')));
        } catch {
          // retried, then sent to the destination
        }
      }
      this.destination.push({ body: JSON.stringify({ requestPayload: event }), receipt: `r${this.destination.length}` });
    })().finally(() => this.running.delete(run));
    this.running.add(run);
    return { StatusCode: 202 };
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}

/** The destination queue, faked: the messages Lambda sent it, taken out as a redrive deletes them. */
function fakeQueue(messages: { body: string; receipt: string }[]): FailureQueue {
  return {
    receive: async () => messages.slice(0, 10),
    remove: async (receipt) => {
      messages.splice(
        messages.findIndex((m) => m.receipt === receipt),
        1,
      );
    },
  };
}

/** The service's own DynamoDB client, unfaulted, captured when the test API is built. */
let healthy: DynamoDBDocumentClient;

/** Pairs (not watermarks or job records) whose halves are not both flipped yet. */
async function pairsLeft(api: TestApi): Promise<number> {
  const items = await scanAll(healthy, api.tokensTable);
  return items.filter((item) => !String(item.id).startsWith('#') && !(item.accessInvalidated && item.refreshInvalidated)).length;
}

async function everyTokenRefused(api: TestApi, pairs: { access_token: string; refresh_token: string }[]) {
  const statuses = await Promise.all(
    pairs.map(async (pair) => [
      (await call(api, 'GET', '/_security/_authenticate', { auth: { bearer: pair.access_token } })).status,
      (
        await call(api, 'POST', TOKEN, {
          auth: USERS.elastic,
          body: { grant_type: 'refresh_token', refresh_token: pair.refresh_token },
        })
      ).status,
    ]),
  );
  return statuses.every(([authenticate, refresh]) => authenticate === 401 && refresh === 400);
}

describe('IV-10: a sweep over its budget (HTTP, injected storage latency)', () => {
  it('answers 200 with the counts so far and a Warning within budget + 2 s, and every token is refused from that answer on', async () => {
    // Every pair update takes 300 ms, as through a slow proxy: 150 pairs at 32 in flight need about 1.5 s.
    const slow = (base: DynamoDBDocumentClient) => {
      healthy = base;
      const delayed = Object.create(base) as DynamoDBDocumentClient;
      delayed.send = (async (command: unknown) => {
        if (command instanceof UpdateCommand && String(command.input.UpdateExpression).includes('REMOVE realmKey')) {
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
        return base.send(command as never);
      }) as DynamoDBDocumentClient['send'];
      return delayed;
    };
    const api = await startTestApi(
      { INVALIDATION_BUDGET: '500ms', INVALIDATION_DRAIN: '1s', INVALIDATION_PAGE_SIZE: '10' },
      { documents: slow },
    );
    try {
      const pairs = [];
      for (let i = 0; i < 150; i += 25) {
        pairs.push(...(await Promise.all(Array.from({ length: 25 }, () => passwordGrant(api, USERS.tokenClient)))));
      }
      const started = performance.now();
      const response = await call(api, 'DELETE', TOKEN, { auth: USERS.elastic, body: { username: 'token_client' } });
      const answeredMs = performance.now() - started;
      expect(response.status).toBe(200);
      expect(response.headers.get('warning')).toMatch(/^299 Elasticsearch-[^ ]+ ".*continues in the background/);
      expect(response.body.invalidated_tokens).toBeLessThan(300);
      expect(response.body.error_count).toBe(0);
      // The bound the gateway needs (budget + 2 s); not a performance figure (see npm run bench).
      expect(answeredMs).toBeLessThan(500 + 2_000);
      expect(await everyTokenRefused(api, pairs)).toBe(true);

      await (api.service.continuation as unknown as { idle(): Promise<void> }).idle();
      expect(await pairsLeft(api)).toBe(0);
    } finally {
      await api.close();
    }
  }, 120_000);
});

describe('the deployed continuation: Lambda self-invocation (fake Lambda)', () => {
  it('IV-10: an over-budget sweep goes on in SweepEvent invocations of the invalidate function until done', async () => {
    const lambda = new FakeLambda();
    const api = await startTestApi(
      { INVALIDATION_BUDGET: '0s', INVALIDATION_PAGE_SIZE: '2' },
      {
        documents: (base) => {
          healthy = base;
          return base;
        },
        continuation: () => new LambdaSweepContinuation('invalidateToken', lambda as never),
      },
    );
    lambda.handler = createInvalidateFunction(() => api.service) as never;
    try {
      const pairs = await Promise.all(Array.from({ length: 20 }, () => passwordGrant(api, USERS.tokenClient)));
      const response = await call(api, 'DELETE', TOKEN, { auth: USERS.elastic, body: { realm_name: 'default_file' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('warning')).toMatch(/continues in the background/);
      expect(await everyTokenRefused(api, pairs)).toBe(true);
      await lambda.idle();
      expect(lambda.invoked.length).toBeGreaterThan(1);
      expect(lambda.invoked[0]).toEqual({ invalidationSweep: { jobId: expect.any(String) } });
      expect(lambda.destination).toEqual([]);
      expect(await pairsLeft(api)).toBe(0);
    } finally {
      await api.close();
    }
  }, 60_000);

  it('a sweep that gives up fails its event into the failure destination, logs an ERROR, and a redrive finishes it', async () => {
    const lambda = new FakeLambda();
    let indexBroken = true;
    const api = await startTestApi(
      { INVALIDATION_BUDGET: '0s', INVALIDATION_PAGE_SIZE: '5' },
      {
        documents: (base) => {
          healthy = base;
          return withFaults(base, (command) =>
            indexBroken && command instanceof QueryCommand
              ? Object.assign(new Error('injected'), { name: 'AccessDeniedException' })
              : undefined,
          );
        },
        continuation: () => new LambdaSweepContinuation('invalidateToken', lambda as never),
      },
    );
    lambda.handler = createInvalidateFunction(() => api.service) as never;
    const log = captureLog();
    try {
      await Promise.all(Array.from({ length: 10 }, () => passwordGrant(api, USERS.tokenClient)));
      const response = await call(api, 'DELETE', TOKEN, { auth: USERS.elastic, body: { realm_name: 'default_file' } });
      expect(response.status).toBe(200);
      expect(response.body.error_count).toBe(16);
      await lambda.idle();
      expect(lambda.destination).toHaveLength(1);
      expect(log.lines()).toMatch(/"level":"ERROR".*invalidation sweep gave up/);

      indexBroken = false;
      const report = await redriveFailedSweeps(
        fakeQueue(lambda.destination),
        new LambdaSweepContinuation('invalidateToken', lambda as never),
      );
      expect(report).toEqual({ redriven: [expect.any(String)], unreadable: 0 });
      await lambda.idle();
      expect(lambda.destination).toEqual([]);
      expect(await pairsLeft(api)).toBe(0);
    } finally {
      await api.close();
    }
  }, 60_000);

  it('the scheduled resumer hands on a job whose runner stopped reporting', async () => {
    const lambda = new FakeLambda();
    const api = await startTestApi(
      { INVALIDATION_BUDGET: '0s', INVALIDATION_PAGE_SIZE: '2' },
      {
        documents: (base) => {
          healthy = base;
          return base;
        },
        // The first run's hand-off is lost; later ones reach the fake Lambda.
        continuation: () => {
          const real = new LambdaSweepContinuation('invalidateToken', lambda as never);
          let lost = false;
          return {
            continueLater: async (jobId: string) => {
              if (!lost) {
                lost = true;
                throw new Error('lost');
              }
              await real.continueLater(jobId);
            },
          };
        },
      },
    );
    const handler = createInvalidateFunction(() => api.service);
    lambda.handler = handler as never;
    try {
      await Promise.all(Array.from({ length: 10 }, () => passwordGrant(api, USERS.tokenClient)));
      const response = await call(api, 'DELETE', TOKEN, { auth: USERS.elastic, body: { realm_name: 'default_file' } });
      expect(response.body.error_count).toBe(1);
      expect(lambda.invoked).toEqual([]);
      await handler({ resumeInvalidationSweeps: true }, lambdaContext('invalidateToken'));
      await lambda.idle();
      expect(lambda.invoked.length).toBeGreaterThan(0);
      expect(await pairsLeft(api)).toBe(0);
    } finally {
      await api.close();
    }
  }, 60_000);
});
