import type { APIGatewayAuthorizerResult, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import { type AuthorizerService, authorizerFunctionService } from '../composition/authorizer';
import { logger } from '../telemetry/logger';
import { restPolicy, simpleResponse, UnauthorizedError } from './answers';
import { type AuthorizerEvent, authorizationOf, isHttpApiEvent } from './authorizer-events';
import { decide } from './decision';

/**
 * The Lambda authorizer of the TokenAuthorizer construct (infra/token-authorizer.ts), for a REST API (REQUEST
 * or TOKEN authorizer) or an HTTP API (payload 2.0, simple responses). Logs the decision and, for a refusal, its
 * reason: never the header, nor who the caller is (as the service's request log names no user).
 */
export const createHandler =
  (service: () => AuthorizerService) =>
  async (event: AuthorizerEvent): Promise<APIGatewayAuthorizerResult | APIGatewaySimpleAuthorizerResult> => {
    const decision = await decide(service(), authorizationOf(event));
    logger.info('authorizer decided', {
      decision: decision.kind,
      ...(decision.kind === 'unauthorized' && { reason: decision.reason }),
    });
    if (isHttpApiEvent(event)) return simpleResponse(decision.kind === 'allow' ? decision.authentication : undefined);
    if (decision.kind === 'unauthorized') throw new UnauthorizedError();
    return restPolicy(decision.kind === 'allow' ? 'Allow' : 'Deny', decision.authentication, event.methodArn);
  };

export const handler = createHandler(authorizerFunctionService());
