/**
 * The tracer is loaded at the first request and only when tracing is on: off (the default), no function
 * loads the X-Ray SDK, and the stack leaves it out of the bundle (test/infra/deployed-bundle.test.ts).
 * X-Ray itself is an AWS service with no local stand-in: Powertools' Tracer is replaced by a recording fake.
 */

type TracerModule = typeof import('../../../functions/telemetry/tracer');

const loaded: string[] = [];
const captured: unknown[] = [];

const saved = process.env.POWERTOOLS_TRACE_ENABLED;

/** The module as a function's process loads it, with POWERTOOLS_TRACE_ENABLED as given (restored after the test). */
function tracerModule(env: Record<string, string | undefined>): TracerModule {
  let module: TracerModule | undefined;
  jest.isolateModules(() => {
    jest.doMock('@aws-lambda-powertools/tracer', () => {
      loaded.push('tracer');
      return {
        Tracer: class {
          captureAWSv3Client<T>(client: T): T {
            captured.push(client);
            return client;
          }
        },
      };
    });
    jest.doMock('@aws-lambda-powertools/tracer/middleware', () => ({
      captureLambdaHandler: () => ({ before: () => loaded.push('segment opened'), after: () => loaded.push('segment closed') }),
    }));
    process.env.POWERTOOLS_TRACE_ENABLED = env.POWERTOOLS_TRACE_ENABLED;
    module = require('../../../functions/telemetry/tracer') as TracerModule;
  });
  return module as TracerModule;
}

afterEach(() => {
  if (saved === undefined) delete process.env.POWERTOOLS_TRACE_ENABLED;
  else process.env.POWERTOOLS_TRACE_ENABLED = saved;
});

const request = {} as never;

beforeEach(() => {
  loaded.length = 0;
  captured.length = 0;
});

it('off: a request loads no tracer and AWS clients are used as they are', async () => {
  const { traceInvocations, traced } = tracerModule({ POWERTOOLS_TRACE_ENABLED: 'false' });
  const middleware = traceInvocations();
  await middleware.before?.(request);
  await middleware.after?.(request);
  const client = { send: () => undefined };
  expect(traced(client)).toBe(client);
  expect(loaded).toEqual([]);
  expect(captured).toEqual([]);
});

it('on: the first request loads the tracer before any client is built, and clients built then are captured', async () => {
  const { traceInvocations, traced } = tracerModule({ POWERTOOLS_TRACE_ENABLED: 'true' });
  const middleware = traceInvocations();
  expect(loaded).toEqual([]);
  await middleware.before?.(request);
  const client = { send: () => undefined };
  traced(client);
  await middleware.after?.(request);
  expect(loaded).toEqual(['tracer', 'segment opened', 'segment closed']);
  expect(captured).toEqual([client]);
});
