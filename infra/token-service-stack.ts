import * as path from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import type { AttributeType, TableDefinition } from '../functions/store/tables';
import { TOKENS_TABLE } from '../functions/store/tables';
import { FUNCTIONS, type FunctionId, ROUTES } from './routes';

const ROOT = path.join(__dirname, '..');

export interface TokenServiceStackProps extends StackProps {
  /** GT-12: `xpack.security.authc.token.timeout`, e.g. `20m`. */
  readonly tokenTimeout?: string;
  readonly indexShards?: number;
}

const ATTRIBUTE_TYPES: Record<AttributeType, dynamodb.AttributeType> = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
  B: dynamodb.AttributeType.BINARY,
};

/** A DynamoDB table built from its shared definition (functions/store/tables.ts). */
function tableFrom(scope: Construct, id: string, definition: TableDefinition): dynamodb.Table {
  const table = new dynamodb.Table(scope, id, {
    partitionKey: { name: definition.partitionKey.name, type: ATTRIBUTE_TYPES[definition.partitionKey.type] },
    ...(definition.sortKey && { sortKey: { name: definition.sortKey.name, type: ATTRIBUTE_TYPES[definition.sortKey.type] } }),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    timeToLiveAttribute: definition.timeToLiveAttribute,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const index of definition.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.indexName,
      partitionKey: { name: index.partitionKey.name, type: ATTRIBUTE_TYPES[index.partitionKey.type] },
      sortKey: { name: index.sortKey.name, type: ATTRIBUTE_TYPES[index.sortKey.type] },
      ...(index.projectedAttributes.length === 0
        ? { projectionType: dynamodb.ProjectionType.KEYS_ONLY }
        : { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...index.projectedAttributes] }),
    });
  }
  return table;
}

/**
 * The deployed service: the tokens table, one Lambda function per API, and a REST API whose routes come
 * from the shared route table.
 */
export class TokenServiceStack extends Stack {
  constructor(scope: Construct, id: string, props: TokenServiceStackProps = {}) {
    super(scope, id, props);

    const tokensTable = tableFrom(this, 'TokensTable', TOKENS_TABLE);

    const environment: Record<string, string> = {
      TOKENS_TABLE: tokensTable.tableName,
      TOKEN_TIMEOUT: props.tokenTimeout ?? '20m',
      TOKEN_INDEX_SHARDS: String(props.indexShards ?? 16),
      NODE_OPTIONS: '--enable-source-maps',
    };

    const functions = {} as Record<FunctionId, nodejs.NodejsFunction>;
    for (const [functionId, { entry, description }] of Object.entries(FUNCTIONS) as [
      FunctionId,
      (typeof FUNCTIONS)[FunctionId],
    ][]) {
      functions[functionId] = new nodejs.NodejsFunction(this, `${functionId[0]?.toUpperCase()}${functionId.slice(1)}Function`, {
        entry: path.join(ROOT, entry),
        description,
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: 512,
        timeout: Duration.seconds(29),
        environment,
        bundling: { minify: true, sourceMap: true, target: 'node22', forceDockerBundling: false },
      });
    }
    // Least privilege: authenticating reads, issuing writes.
    tokensTable.grantReadData(functions.authenticate);
    tokensTable.grantReadWriteData(functions.getToken);
    tokensTable.grantReadWriteData(functions.invalidateToken);
    // A sweep that runs out of time goes on in an asynchronous invocation of the same function.
    // A policy of its own, not the role's default policy: the function depends on that one, so a grant
    // there naming the function's own ARN would be a dependency cycle.
    const invalidate = functions.invalidateToken;
    new iam.Policy(this, 'InvalidateTokenSelfInvoke', {
      roles: invalidate.role ? [invalidate.role] : [],
      statements: [new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [invalidate.functionArn] })],
    });

    const api = new apigateway.RestApi(this, 'Api', {
      restApiName: 'es-token-service',
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      deployOptions: { stageName: 'prod', throttlingRateLimit: 1000, throttlingBurstLimit: 2000 },
    });
    for (const route of ROUTES) {
      const resource = route.path
        .split('/')
        .filter((part) => part !== '')
        .reduce<apigateway.IResource>((parent, part) => parent.getResource(part) ?? parent.addResource(part), api.root);
      resource.addMethod(route.method, new apigateway.LambdaIntegration(functions[route.function]));
    }

    new CfnOutput(this, 'ApiUrl', { value: api.url });
    new CfnOutput(this, 'TokensTableName', { value: tokensTable.tableName });
  }
}
