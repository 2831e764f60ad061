import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { negotiateMediaTypes } from './media-types';
import { booleanParameter, formatResponse, type ResponseFormat } from './rest-parameters';

/** What the shaping reads of a request: the pipeline's event, whatever its body has become. */
type ShapedEvent = Pick<APIGatewayProxyEvent, 'httpMethod' | 'headers' | 'queryStringParameters'> & { body: unknown };

/**
 * How every answer (success or error) is written: its Content-Type, `pretty`, `filter_path` (rest-parameters.ts).
 * Read leniently: a request whose headers or `pretty` are wrong is answered with that error, in plain JSON.
 */
function responseFormatOf(event: ShapedEvent): ResponseFormat {
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const params = event.queryStringParameters;
  let contentType = 'application/json';
  let pretty = false;
  try {
    contentType = negotiateMediaTypes(headers, typeof event.body === 'string' && event.body !== '').responseContentType;
  } catch {
    // The request's own error says what is wrong with its headers; it is written in plain JSON.
  }
  try {
    pretty = booleanParameter(params, 'pretty');
  } catch {
    // As above: the parameter's error is the answer.
  }
  return { contentType, pretty, ...(params?.filter_path !== undefined && { filterPath: params.filter_path }) };
}

/**
 * Shapes every answer as Elasticsearch's REST channel writes it, the rendered errors too: the negotiated
 * Content-Type, `filter_path`, `pretty`, and no body for HEAD whoever carries the answer (API Gateway, the local
 * API). The format is read from the request as it arrived, before the body is parsed; it is applied once the
 * answer exists (`after`), or once the error has been rendered into one (`onError`: used before the renderer,
 * this middleware's runs after it).
 */
export const shapeResponses = <E extends ShapedEvent, C extends Context>(): MiddlewareObj<E, APIGatewayProxyResult, Error, C> => {
  const formats = new WeakMap<object, ResponseFormat>();
  const shape = (request: Request<E, APIGatewayProxyResult, Error, C>) => {
    const { event, response } = request;
    // An error nothing rendered is Lambda's to report, as it is.
    if (response === undefined || response === null) return;
    // A step before this one failed: the request is still as it arrived.
    const result = formatResponse(response, formats.get(request) ?? responseFormatOf(event));
    request.response = event.httpMethod === 'HEAD' ? { ...result, body: '' } : result;
  };
  return {
    before: (request) => {
      formats.set(request, responseFormatOf(request.event));
    },
    after: shape,
    onError: shape,
  };
};
