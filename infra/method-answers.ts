import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { MethodNotAllowedError } from '../functions/errors';
import { renderError } from '../functions/http/render-error';
import { ELASTICSEARCH_HEADERS } from '../functions/http/responses';
import type { HttpMethod } from './routes';

/** Header values of a method response are mapping expressions: a literal is single-quoted. */
const literal = (value: string) => `'${value}'`;

/** A header every method response below may set. */
const header = (name: string) => `method.response.header.${name}`;

/**
 * An answer API Gateway gives by itself (a mock integration), with fixed headers. The mock's status comes from
 * its request template; the one integration response is the default, so no request can choose another status.
 */
function mockAnswer(status: number, headers: Record<string, string>, body: string): apigateway.MockIntegration {
  return new apigateway.MockIntegration({
    requestTemplates: { 'application/json': `{"statusCode": ${status}}` },
    passthroughBehavior: apigateway.PassthroughBehavior.WHEN_NO_MATCH,
    // Every media type is binary to the stack (rest-api.ts): the template is applied to the body as text.
    contentHandling: apigateway.ContentHandling.CONVERT_TO_TEXT,
    integrationResponses: [
      {
        statusCode: String(status),
        responseParameters: Object.fromEntries(Object.entries(headers).map(([name, value]) => [header(name), literal(value)])),
        responseTemplates: { 'application/json': body },
      },
    ],
  });
}

function addAnswer(
  resource: apigateway.IResource,
  method: string,
  status: number,
  headers: Record<string, string>,
  body: string,
) {
  resource.addMethod(method, mockAnswer(status, headers, body), {
    methodResponses: [
      {
        statusCode: String(status),
        responseParameters: Object.fromEntries(Object.keys(headers).map((name) => [header(name), true])),
      },
    ],
  });
}

/**
 * ER-14, deployed: what RestController answers for a path's other methods, given by API Gateway on the path's
 * resource without calling a function. OPTIONS is 200 with the methods in `Allow`; any method the path does not
 * serve (API Gateway's ANY, which the routes' own methods take precedence over) is 405 with them, in the body
 * the functions' error renderer writes. The URI quoted is `$context.path`, with the stage and without the query.
 */
export function addMethodAnswers(resource: apigateway.IResource, allowed: readonly HttpMethod[]): void {
  const allow = allowed.join(',');
  const product = { 'x-elastic-product': ELASTICSEARCH_HEADERS['x-elastic-product'] };
  addAnswer(resource, 'OPTIONS', 200, { 'Content-Type': 'text/plain; charset=UTF-8', Allow: allow, ...product }, '');
  const { statusCode, body } = renderError(new MethodNotAllowedError('$context.path', '$context.httpMethod', allowed));
  addAnswer(
    resource,
    'ANY',
    statusCode,
    { 'Content-Type': ELASTICSEARCH_HEADERS['content-type'], Allow: allow, ...product },
    body,
  );
}
