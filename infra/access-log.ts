import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';

/**
 * One JSON line per request. It names the request, never its credentials: no headers, no body, no query
 * string (the contract's APIs carry no secret in a query, but a client might). `requestId` is what the
 * function logs as `correlation_id`; `functionRequestId` is the request id Lambda answered the invocation
 * with, which the function logs as `function_request_id`.
 * Every value is quoted, so a field API Gateway leaves empty (`-`) still makes valid JSON.
 */
export const ACCESS_LOG_FIELDS = {
  requestId: AccessLogField.contextRequestId(),
  // Unlike requestId, which a client may choose (x-amzn-RequestId), this one API Gateway alone assigns.
  extendedRequestId: AccessLogField.contextExtendedRequestId(),
  requestTime: AccessLogField.contextRequestTime(),
  sourceIp: AccessLogField.contextIdentitySourceIp(),
  userAgent: AccessLogField.contextIdentityUserAgent(),
  httpMethod: AccessLogField.contextHttpMethod(),
  resourcePath: AccessLogField.contextResourcePath(),
  path: AccessLogField.contextPath(),
  protocol: AccessLogField.contextProtocol(),
  status: AccessLogField.contextStatus(),
  responseLength: AccessLogField.contextResponseLength(),
  responseLatency: AccessLogField.contextResponseLatency(),
  integrationLatency: AccessLogField.contextIntegrationLatency(),
  integrationStatus: AccessLogField.contextIntegrationStatus(),
  functionRequestId: AccessLogField.contextAwsEndpointRequestId(),
  errorType: AccessLogField.contextErrorResponseType(),
  errorMessage: AccessLogField.contextErrorMessage(),
} as const;

export const ACCESS_LOG_FORMAT = AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS));
