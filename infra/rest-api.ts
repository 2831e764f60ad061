import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { ACCESS_LOG_FORMAT } from './access-log';
import { GATEWAY_ERROR_RESPONSES } from './gateway-responses';
import { addMethodAnswers } from './method-answers';
import type { HttpMethod } from './routes';

export interface ServiceRestApiProps {
  readonly name: string;
  /** The stage, the first segment of every path (`/prod/_security/...`). */
  readonly stageName: string;
  /** X-Ray tracing of the stage. */
  readonly tracing?: boolean;
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  readonly routes: readonly { readonly method: HttpMethod; readonly path: string; readonly function: string }[];
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetention: logs.RetentionDays;
  readonly webAclArn?: string;
}

/** A Lambda proxy integration, as LambdaIntegration's, without the permission it adds per method. */
function proxyTo(fn: lambda.IFunction): apigateway.AwsIntegration {
  return new apigateway.AwsIntegration({
    proxy: true,
    service: 'lambda',
    path: `2015-03-31/functions/${fn.functionArn}/invocations`,
  });
}

/** The path of a route, as nested API Gateway resources (created once, shared by the routes under them). */
function resourceFor(root: apigateway.IResource, routePath: string): apigateway.IResource {
  return routePath
    .split('/')
    .filter((part) => part !== '')
    .reduce<apigateway.IResource>((parent, part) => parent.getResource(part) ?? parent.addResource(part), root);
}

/**
 * The regional REST API: one Lambda proxy method per route, stage throttling, JSON access logs, error-level
 * execution logs, and API Gateway's own errors answered as Elasticsearch error bodies.
 */
export function serviceRestApi(scope: Construct, props: ServiceRestApiProps): apigateway.RestApi {
  const accessLogs = new logs.LogGroup(scope, 'ApiAccessLogs', {
    retention: props.logRetention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const api = new apigateway.RestApi(scope, 'Api', {
    restApiName: props.name,
    description: 'Elasticsearch-compatible token service: get token, refresh, invalidate, authenticate',
    endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
    // Every body reaches the functions base64-encoded, as sent: decoded as text here, bytes that are not UTF-8
    // would be replaced before the function could refuse them (ER-13). Answers are text, so stay as they are.
    binaryMediaTypes: ['*/*'],
    // The ERROR-level execution logs below need API Gateway's account-level CloudWatch role.
    cloudWatchRole: true,
    deployOptions: {
      stageName: props.stageName,
      tracingEnabled: props.tracing ?? false,
      throttlingRateLimit: props.throttle.rateLimit,
      throttlingBurstLimit: props.throttle.burstLimit,
      accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
      accessLogFormat: ACCESS_LOG_FORMAT,
      loggingLevel: apigateway.MethodLoggingLevel.ERROR,
      // Full request logging would write Authorization headers and passwords from bodies to the logs.
      dataTraceEnabled: false,
    },
  });
  // The stack outputs the URL under a stable name, instead of the RestApi's own `ApiEndpoint<hash>`.
  api.node.tryRemoveChild('Endpoint');

  for (const route of props.routes) {
    const fn = props.functions[route.function];
    if (fn === undefined) throw new Error(`route ${route.method} ${route.path} names an unknown function [${route.function}]`);
    resourceFor(api.root, route.path).addMethod(route.method, proxyTo(fn));
  }
  // One invoke permission per function, for the API's deployed stage, instead of LambdaIntegration's one per
  // method and a second for the console's test invocations: with a function per API those took the stack past
  // CloudFormation's 500 resources. Only the routes of the function integrate it, so the wider source names no
  // other caller.
  for (const [id, fn] of Object.entries(props.functions)) {
    fn.addPermission(`ApiInvoke${id}`, {
      principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      sourceArn: api.arnForExecuteApi('*', '/*', api.deploymentStage.stageName),
    });
  }
  for (const path of new Set(props.routes.map((route) => route.path))) {
    const allowed = props.routes.filter((route) => route.path === path).map((route) => route.method);
    addMethodAnswers(resourceFor(api.root, path), allowed);
  }
  for (const response of GATEWAY_ERROR_RESPONSES) {
    api.addGatewayResponse(`Gateway${response.type.responseType}`, {
      type: response.type,
      statusCode: response.statusCode,
      templates: { 'application/json': response.template },
      responseHeaders: response.headers,
    });
  }

  const cloudWatchRole = api.node.tryFindChild('CloudWatchRole');
  if (cloudWatchRole) {
    Validations.of(cloudWatchRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason: "API Gateway's account-level log role; AWS maintains this policy for exactly that use.",
    });
  }
  Validations.of(api).acknowledge({
    id: 'AwsSolutions-APIG2',
    reason: 'Each function validates its requests itself, with the texts and error shapes of the Elasticsearch contract.',
  });
  for (const id of ['AwsSolutions-APIG4', 'AwsSolutions-COG4']) {
    Validations.of(api).acknowledge({
      id,
      reason:
        'Elasticsearch authentication (Basic through the realms, Bearer tokens) is the service itself, done in every function.',
    });
  }
  if (props.webAclArn !== undefined) {
    new wafv2.CfnWebACLAssociation(scope, 'ApiWebAcl', { resourceArn: api.deploymentStage.stageArn, webAclArn: props.webAclArn });
  } else {
    Validations.of(api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'A web ACL is an account decision with its own cost: pass webAclArn to attach one; stage throttling bounds the rate meanwhile.',
    });
  }
  return api;
}
