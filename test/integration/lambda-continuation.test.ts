import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaSweepContinuation } from '../../functions/aws/lambda-sweep-continuation';

/**
 * The deployed continuation with the real Lambda client (deployed, the subset in the on-demand layer,
 * infra/on-demand-library-layer.ts) against a loopback stand-in of the Invoke API: Lambda has no local engine as
 * DynamoDB has. What the function sends itself, and how it tells a queued invocation from one that was not.
 */
interface Invocation {
  readonly path: string;
  readonly invocationType: string | undefined;
  readonly payload: unknown;
}

let server: Server;
let status = 202;
const invocations: Invocation[] = [];
const saved = { ...process.env };

async function bodyOf(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += String(chunk);
  return body;
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const payload = JSON.parse((await bodyOf(request)) || 'null') as unknown;
    const invocationType = request.headers['x-amz-invocation-type'];
    invocations.push({ path: request.url ?? '', invocationType: invocationType as string | undefined, payload });
    response.writeHead(status);
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
});

afterAll(async () => {
  process.env = saved;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  invocations.length = 0;
  status = 202;
});

describe('the Lambda continuation of a sweep', () => {
  it('IV-10: queues an asynchronous invocation of the same function with the job id, and a redrive says so', async () => {
    const continuation = new LambdaSweepContinuation('es-token-InvalidateToken');
    await continuation.continueLater('job-1');
    await continuation.continueLater('job-2', true);
    expect(invocations).toEqual([
      {
        path: '/2015-03-31/functions/es-token-InvalidateToken/invocations',
        invocationType: 'Event',
        payload: { invalidationSweep: { jobId: 'job-1' } },
      },
      {
        path: '/2015-03-31/functions/es-token-InvalidateToken/invocations',
        invocationType: 'Event',
        payload: { invalidationSweep: { jobId: 'job-2', redrive: true } },
      },
    ]);
  });

  it('IV-10: an invocation Lambda did not queue (200, a synchronous answer) fails the hand-off', async () => {
    status = 200;
    await expect(new LambdaSweepContinuation('es-token-InvalidateToken').continueLater('job-3')).rejects.toThrow(
      'the continuation was not queued (status 200)',
    );
  });
});
