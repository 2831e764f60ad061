import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';

/**
 * X-Ray tracing (Powertools Tracer). It is off unless POWERTOOLS_TRACE_ENABLED is true, which the stack sets
 * with `-c tracing=true`; outside Lambda Powertools turns it off by itself. Off, every call here passes through.
 */
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME || 'es-token-service' });

/**
 * The handler's segment. Responses are never recorded: they carry access and refresh tokens. Errors are
 * rendered into responses before they reach this layer, so none of their text is recorded either.
 */
export const traceInvocations = () => captureLambdaHandler(tracer, { captureResponse: false });

/** AWS SDK calls as subsegments (operation, table, latency, retries; never an item or a secret value). */
export function traced<T>(client: T): T {
  return tracer.captureAWSv3Client(client);
}
