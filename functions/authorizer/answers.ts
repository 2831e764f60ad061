import type { APIGatewayAuthorizerResult, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import type { Authentication } from '../security/authc/authentication';

/**
 * What the integration reads of the caller (`$context.authorizer.username`, `event.requestContext.authorizer`):
 * flat strings, as API Gateway's context allows; the roles as a JSON array, since a role name may hold a comma.
 */
export interface CallerContext {
  readonly [key: string]: string;
  readonly username: string;
  readonly realm: string;
  readonly realmType: string;
  readonly authenticationRealm: string;
  readonly roles: string;
  readonly authenticationType: string;
}

function callerContext(authentication: Authentication): CallerContext {
  return {
    username: authentication.username,
    realm: authentication.lookup_realm.name,
    realmType: authentication.lookup_realm.type,
    authenticationRealm: authentication.authentication_realm.name,
    roles: JSON.stringify(authentication.roles),
    authenticationType: authentication.authentication_type,
  };
}

/**
 * Every method of the stage: with a result cache (TTL > 0) one answer serves the caller's next requests to any
 * method, and one naming only the first method would refuse the others. The decision never depends on the method.
 */
function stageArnOf(methodArn: string): string {
  const [api, stage] = methodArn.split('/');
  return `${api}/${stage}/*`;
}

/** A REST API's answer to an authenticated caller: Allow (200 onwards) or Deny (403), for the whole stage. */
export function restPolicy(effect: 'Allow' | 'Deny', authentication: Authentication, methodArn: string) {
  const answer: APIGatewayAuthorizerResult = {
    principalId: authentication.username,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: stageArnOf(methodArn) }],
    },
    context: callerContext(authentication),
  };
  return answer;
}

/** A REST API answers 401 to an authorizer that throws exactly this message. */
export class UnauthorizedError extends Error {
  constructor() {
    super('Unauthorized');
    this.name = 'UnauthorizedError';
  }
}

/** An HTTP API's simple response (payload 2.0): refused is 403 whatever the reason; the context only when let through. */
export function simpleResponse(
  authentication: Authentication | undefined,
): APIGatewaySimpleAuthorizerWithContextResult<CallerContext | Record<string, never>> {
  if (authentication === undefined) return { isAuthorized: false, context: {} };
  return { isAuthorized: true, context: callerContext(authentication) };
}
