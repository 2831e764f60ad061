import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

const processLogger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'es-token-service' });
const requestLoggers = new AsyncLocalStorage<Logger>();

/**
 * The service's structured JSON logger. Nothing that reaches it may carry a token, a refresh token or a
 * password: handlers log the route, status and error type, never headers or bodies.
 *
 * Inside a request (see `withRequestLogger`) it is that request's own logger, so the Lambda context and
 * correlation id one request sets never show on the lines of another that runs at the same time in the
 * same process (the local API); outside one, the process's.
 */
export const logger: Logger = new Proxy(processLogger, {
  get(target, property) {
    const current = requestLoggers.getStore() ?? target;
    const value: unknown = Reflect.get(current, property, current);
    return typeof value === 'function' ? value.bind(current) : value;
  },
  set(target, property, value) {
    return Reflect.set(requestLoggers.getStore() ?? target, property, value);
  },
});

type Destination = { console: unknown };

/**
 * Runs a handler with a logger of its own, a child of the process's (same level, keys and destination).
 * Lambda runs one request per instance, so there the process's logger is used as it is.
 */
export function withRequestLogger<A extends unknown[], R>(handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  if (process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined) return handler;
  return (...args: A) => {
    const child = processLogger.createChild();
    // Where lines go is the process's choice (a test may redirect them); a child would make its own console.
    (child as unknown as Destination).console = (processLogger as unknown as Destination).console;
    return requestLoggers.run(child, () => handler(...args));
  };
}

/**
 * Tags every log line of a request with API Gateway's request id (`correlation_id`), the `requestId` of
 * the stage's access log, so one request can be followed from the gateway into its function.
 */
export const correlateWithGateway = <
  E extends { requestContext?: { requestId?: string } },
  R,
  C extends Context,
>(): MiddlewareObj<E, R, Error, C> => ({
  before: ({ event }) => {
    const requestId = event.requestContext?.requestId;
    if (requestId) logger.setCorrelationId(requestId);
  },
});
