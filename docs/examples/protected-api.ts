/**
 * Another team's CDK app, protecting its own APIs with the token service's tokens: a REST API and an HTTP API
 * behind the TokenAuthorizer construct. `docs/token-authorizer.md` walks through it; test/infra/token-authorizer.test.ts
 * synthesizes it with cdk-nag's AwsSolutions checks.
 */
import { App, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { TokenAuthorizer } from '../../infra/token-authorizer';

export interface OrdersApiProps extends StackProps {
  /** The token service's stack outputs `TokensTableName` and `RolesTableName`. */
  readonly tokensTableName: string;
  readonly rolesTableName: string;
}

export class OrdersApiStack extends Stack {
  constructor(scope: Construct, id: string, props: OrdersApiProps) {
    super(scope, id, props);

    // Callers need a token of the service whose roles grant `monitor`; answers are cached a minute per token,
    // and the cache is flushed when the service revokes tokens.
    const authorizer = new TokenAuthorizer(this, 'TokenAuthorizer', {
      tokensTableName: props.tokensTableName,
      rolesTableName: props.rolesTableName,
      anyPrivilege: ['monitor'],
      resultsCacheTtl: Duration.minutes(1),
    });

    // A REST API: GET /orders answers from a mock integration that echoes the caller's username.
    const accessLogs = new logs.LogGroup(this, 'RestAccessLogs', { retention: logs.RetentionDays.ONE_MONTH });
    const rest = new apigateway.RestApi(this, 'OrdersRestApi', {
      cloudWatchRole: false,
      deployOptions: {
        stageName: 'prod',
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
      },
    });
    const validator = rest.addRequestValidator('Validator', { validateRequestParameters: true, validateRequestBody: true });
    rest.root.addResource('orders').addMethod(
      'GET',
      new apigateway.MockIntegration({
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
        integrationResponses: [
          { statusCode: '200', responseTemplates: { 'application/json': '{"user": "$context.authorizer.username"}' } },
        ],
      }),
      {
        authorizer: authorizer.restAuthorizer,
        authorizationType: apigateway.AuthorizationType.CUSTOM,
        requestValidator: validator,
        methodResponses: [{ statusCode: '200' }],
      },
    );

    // An HTTP API: every route goes to the orders backend, behind the same authorizer.
    const http = new apigatewayv2.HttpApi(this, 'OrdersHttpApi', { createDefaultStage: false });
    const httpLogs = new logs.LogGroup(this, 'HttpAccessLogs', { retention: logs.RetentionDays.ONE_MONTH });
    new apigatewayv2.HttpStage(this, 'HttpStage', {
      httpApi: http,
      stageName: 'prod',
      autoDeploy: true,
      accessLogSettings: { destination: new apigatewayv2.LogGroupLogDestination(httpLogs) },
    });
    http.addRoutes({
      path: '/orders',
      methods: [apigatewayv2.HttpMethod.GET],
      integration: new HttpUrlIntegration('Orders', 'https://orders.example.com/orders'),
      authorizer: authorizer.httpAuthorizer,
    });

    authorizer.flushCacheOnRevocation([rest.deploymentStage, { httpApi: http, stageName: 'prod' }]);

    // The findings that are this app's choices, not the authorizer's.
    Validations.of(rest).acknowledge(
      {
        id: 'AwsSolutions-APIG3',
        reason: 'An example API: a web ACL is the deploying team’s choice (see the service’s webAclArn).',
      },
      { id: 'AwsSolutions-COG4', reason: 'Callers authenticate with the token service’s tokens, through the TokenAuthorizer.' },
    );
  }
}

/** The example app, as `cdk synth` runs it (`npx cdk synth --app "npx tsx docs/examples/protected-api.ts"`). */
export function ordersApp(app = new App()): App {
  new OrdersApiStack(app, 'OrdersApi', {
    tokensTableName: app.node.tryGetContext('tokensTableName') ?? 'EsTokenService-TokensTable',
    rolesTableName: app.node.tryGetContext('rolesTableName') ?? 'EsTokenService-RolesTable',
  });
  return app;
}

if (require.main === module) ordersApp().synth();
