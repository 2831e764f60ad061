import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

/**
 * X-Ray tracing (Powertools Tracer). It is off unless POWERTOOLS_TRACE_ENABLED is true, which the stack sets
 * with `-c tracing=true`; outside Lambda Powertools turns it off by itself. Off, the tracer and the X-Ray SDK
 * are never loaded (the stack leaves them out of the bundle, infra/lambda-functions.ts): every cold start
 * would pay for them otherwise.
 */
const tracingOn = () => process.env.POWERTOOLS_TRACE_ENABLED === 'true';

let tracer: Tracer | undefined;
let handlerSegment: Promise<MiddlewareObj> | undefined;

/**
 * The handler's segment. Responses are never recorded: they carry access and refresh tokens. Errors are
 * rendered into responses before they reach this layer, so none of their text is recorded either.
 */
async function loadHandlerSegment(): Promise<MiddlewareObj> {
  const [{ Tracer }, { captureLambdaHandler }] = await Promise.all([
    import('@aws-lambda-powertools/tracer'),
    import('@aws-lambda-powertools/tracer/middleware'),
  ]);
  tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME || 'es-token-service' });
  return captureLambdaHandler(tracer, { captureResponse: false }) as MiddlewareObj;
}

/**
 * First in the pipeline: loads the tracer at the first request when tracing is on, before any AWS client is
 * built (so `traced` sees it), then opens and closes the handler's segment.
 */
export function traceInvocations<E, R, C extends Context>(): MiddlewareObj<E, R, Error, C> {
  // Middy refuses a middleware with no hook: off, it is one that does nothing.
  if (!tracingOn()) return { before: () => undefined };
  const segment = () => {
    handlerSegment ??= loadHandlerSegment();
    return handlerSegment;
  };
  type Request = Parameters<NonNullable<MiddlewareObj['before']>>[0];
  return {
    before: async (request) => void (await (await segment()).before?.(request as unknown as Request)),
    after: async (request) => void (await (await segment()).after?.(request as unknown as Request)),
    onError: async (request) => void (await (await segment()).onError?.(request as unknown as Request)),
  };
}

/** AWS SDK calls as subsegments (operation, table, latency, retries; never an item or a secret value). */
export function traced<T>(client: T): T {
  return tracer === undefined ? client : tracer.captureAWSv3Client(client);
}
