import { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

/**
 * The service's structured JSON logger. Nothing that reaches it may carry a token, a refresh token or a
 * password: handlers log the route, status and error type, never headers or bodies.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'es-token-service' });

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
