import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { REVOCATION_DETAIL_TYPE, REVOCATION_EVENT_SOURCE } from '../functions/aws/revocation-event-names';
import { PREDEFINED_CLUSTER_PRIVILEGES } from '../functions/security/authz/cluster-privileges';
import { bundlingOf } from './lambda-functions';
import { LAMBDA_RUNTIME } from './node-runtime';

const ENTRY = path.join(__dirname, '..', 'functions', 'authorizer', 'handler.ts');

export interface TokenAuthorizerProps {
  /** The service's tokens table (its stack's `TokensTableName` output), in this stack's account and region. */
  readonly tokensTableName: string;
  /** The service's roles table (`RolesTableName`): needed only to check `anyPrivilege` against native roles. */
  readonly rolesTableName?: string;
  /** Let through only a caller holding one of these roles. */
  readonly anyRole?: readonly string[];
  /** Let through only a caller whose roles grant one of these predefined cluster privileges (`all` always does). */
  readonly anyPrivilege?: readonly string[];
  /**
   * How long API Gateway keeps an answer for the same `Authorization` header. 0 by default: a revoked token is
   * refused at once. Longer, a revoked token keeps working for up to this long, unless the stage's cache is
   * flushed on revocation (`flushCacheOnRevocation`).
   */
  readonly resultsCacheTtl?: Duration;
  readonly logRetention?: logs.RetentionDays;
}

/** A REST API stage, or an HTTP API and its stage's name, whose authorizer cache a revocation flushes. */
export type CachingStage = apigateway.Stage | { readonly httpApi: apigatewayv2.IHttpApi; readonly stageName: string };

/**
 * A Lambda authorizer accepting the Bearer tokens of the Elasticsearch-compatible token service, for another
 * app's APIs: `restAuthorizer` for a REST API (a REQUEST authorizer on the `Authorization` header),
 * `httpAuthorizer` for an HTTP API (payload 2.0, simple responses). Its function may read the tokens table
 * (and the roles table, when given) and nothing else.
 */
export class TokenAuthorizer extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly resultsCacheTtl: Duration;
  private rest?: apigateway.RequestAuthorizer;
  private http?: HttpLambdaAuthorizer;

  constructor(scope: Construct, id: string, props: TokenAuthorizerProps) {
    super(scope, id);
    const unknown = (props.anyPrivilege ?? []).filter((p) => !PREDEFINED_CLUSTER_PRIVILEGES.includes(p));
    if (unknown.length > 0) throw new Error(`anyPrivilege: [${unknown.join(',')}] are not predefined cluster privileges`);
    if ((props.anyPrivilege ?? []).length > 0 && props.rolesTableName === undefined) {
      throw new Error('anyPrivilege needs rolesTableName: the privileges of native roles are read from it');
    }
    this.resultsCacheTtl = props.resultsCacheTtl ?? Duration.seconds(0);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Token authorizer: reads the token pairs and their watermarks, and native roles',
    });
    logGroup.grantWrite(role);
    // One BatchGetItem reads a pair and its watermarks; another, native roles. Nothing else is read or written.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:BatchGetItem'],
        resources: [props.tokensTableName, props.rolesTableName]
          .filter((name): name is string => name !== undefined)
          .map((name) => Stack.of(this).formatArn({ service: 'dynamodb', resource: 'table', resourceName: name })),
      }),
    );
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: ENTRY,
      description: "Authorizer accepting the token service's Bearer tokens",
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(10),
      role,
      logGroup,
      environment: {
        TOKENS_TABLE: props.tokensTableName,
        ...(props.rolesTableName !== undefined && { ROLES_TABLE: props.rolesTableName }),
        AUTHORIZER_ROLES: (props.anyRole ?? []).join(','),
        AUTHORIZER_PRIVILEGES: (props.anyPrivilege ?? []).join(','),
        POWERTOOLS_SERVICE_NAME: 'es-token-authorizer',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: bundlingOf(false),
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 is the runtime the token service fixes and its bundle targets.',
    });
  }

  /** The REST API authorizer (REQUEST, identity source the `Authorization` header): 401 refused, 403 denied. */
  get restAuthorizer(): apigateway.RequestAuthorizer {
    this.rest ??= new apigateway.RequestAuthorizer(this, 'RestAuthorizer', {
      handler: this.function,
      identitySources: [apigateway.IdentitySource.header('Authorization')],
      resultsCacheTtl: this.resultsCacheTtl,
    });
    return this.rest;
  }

  /** The HTTP API authorizer (payload 2.0, simple responses): 401 without a header, 403 refused. */
  get httpAuthorizer(): HttpLambdaAuthorizer {
    this.http ??= new HttpLambdaAuthorizer('TokenAuthorizer', this.function, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: this.resultsCacheTtl,
    });
    return this.http;
  }

  /**
   * A rule on the service's revocation events (on `bus`, the default bus unless given) that flushes the
   * authorizer cache of these stages, so a cached answer does not outlive a revocation by the TTL. The flush
   * follows the event within seconds; until it lands, a cached answer still stands.
   */
  flushCacheOnRevocation(stages: readonly CachingStage[], bus?: events.IEventBus): events.Rule {
    const rule = new events.Rule(this, 'FlushOnRevocation', {
      description: 'Flush the authorizer cache of API stages when the token service revokes tokens',
      eventBus: bus,
      eventPattern: { source: [REVOCATION_EVENT_SOURCE], detailType: [REVOCATION_DETAIL_TYPE] },
    });
    for (const stage of stages) rule.addTarget(flushTarget(this, stage));
    acknowledgeAwsApiFunction(Stack.of(this));
    return rule;
  }
}

/**
 * The function CDK's AwsApi target runs the call in (one per stack, AWS<uuid>): its role has the basic execution
 * managed policy and the call's own statement, which names the stage's authorizer cache only.
 */
function acknowledgeAwsApiFunction(stack: Stack): void {
  for (const child of stack.node.children) {
    if (!(child instanceof lambda.Function) || !/^AWS[0-9a-f]{32}$/.test(child.node.id)) continue;
    Validations.of(child).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "CDK's AwsApi target function: the basic execution policy lets it log; its only call is the cache flush.",
      },
      { id: 'AwsSolutions-L1', reason: "CDK's AwsApi target function: its runtime is CDK's choice, updated with aws-cdk-lib." },
    );
  }
}

/** FlushStageAuthorizersCache (REST) or ResetAuthorizersCache (HTTP), allowed on that stage's authorizer cache only. */
function flushTarget(scope: Construct, stage: CachingStage): targets.AwsApi {
  const call =
    stage instanceof apigateway.Stage
      ? {
          service: 'APIGateway',
          action: 'flushStageAuthorizersCache',
          parameters: { restApiId: stage.restApi.restApiId, stageName: stage.stageName },
          path: `/restapis/${stage.restApi.restApiId}/stages/${stage.stageName}/cache/authorizers`,
        }
      : {
          service: 'ApiGatewayV2',
          action: 'resetAuthorizersCache',
          parameters: { ApiId: stage.httpApi.apiId, StageName: stage.stageName },
          path: `/apis/${stage.httpApi.apiId}/stages/${stage.stageName}/cache/authorizers`,
        };
  const cache = Stack.of(scope).formatArn({ service: 'apigateway', account: '', resource: call.path });
  return new targets.AwsApi({
    service: call.service,
    action: call.action,
    parameters: call.parameters,
    policyStatement: new iam.PolicyStatement({ actions: ['apigateway:DELETE'], resources: [cache] }),
  });
}
