import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The service's structured JSON logger. Nothing that reaches it may carry a token, a refresh token or a
 * password: handlers log the route, status and error type, never headers or bodies.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'es-token-service' });
