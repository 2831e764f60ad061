import * as path from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import type { AttributeType, TableDefinition } from '../functions/store/tables';
import { ROLES_TABLE, TOKENS_TABLE, USERS_TABLE } from '../functions/store/tables';
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
 * Least privilege for the native realm, action by action. Every function authenticates its caller, which
 * may be a native user (one GetItem on the users table); every function but authenticate authorizes it,
 * which may read native roles (one BatchGetItem on the roles table). Beyond that, each API gets only the
 * writes it makes: no function can both change users and change roles.
 */
function grantNativeRealm(
  functions: Record<FunctionId, nodejs.NodejsFunction>,
  usersTable: dynamodb.Table,
  rolesTable: dynamodb.Table,
): void {
  const grant = (table: dynamodb.Table, fn: nodejs.NodejsFunction, ...actions: string[]) =>
    table.grant(fn, ...actions.map((action) => `dynamodb:${action}`));
  for (const [functionId, fn] of Object.entries(functions) as [FunctionId, nodejs.NodejsFunction][]) {
    grant(usersTable, fn, 'GetItem');
    if (functionId !== 'authenticate') grant(rolesTable, fn, 'BatchGetItem');
  }
  grant(usersTable, functions.putUser, 'PutItem', 'UpdateItem');
  grant(usersTable, functions.getUsers, 'Scan');
  grant(usersTable, functions.deleteUser, 'DeleteItem');
  grant(usersTable, functions.changePassword, 'UpdateItem');
  grant(usersTable, functions.setUserEnabled, 'UpdateItem');
  grant(rolesTable, functions.putRole, 'PutItem');
  grant(rolesTable, functions.getRoles, 'GetItem', 'Scan');
  grant(rolesTable, functions.deleteRole, 'DeleteItem');
}

/**
 * The deployed service: the tokens, users and roles tables, one Lambda function per API, and a REST API whose routes come
 * from the shared route table.
 */
export class TokenServiceStack extends Stack {
  constructor(scope: Construct, id: string, props: TokenServiceStackProps = {}) {
    super(scope, id, props);

    const tokensTable = tableFrom(this, 'TokensTable', TOKENS_TABLE);
    const usersTable = tableFrom(this, 'UsersTable', USERS_TABLE);
    const rolesTable = tableFrom(this, 'RolesTable', ROLES_TABLE);

    const environment: Record<string, string> = {
      TOKENS_TABLE: tokensTable.tableName,
      USERS_TABLE: usersTable.tableName,
      ROLES_TABLE: rolesTable.tableName,
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
    grantNativeRealm(functions, usersTable, rolesTable);

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
    // `npm run users -- --table <UsersTableName>` creates the first users of a new deployment.
    new CfnOutput(this, 'UsersTableName', { value: usersTable.tableName });
    new CfnOutput(this, 'RolesTableName', { value: rolesTable.tableName });
  }
}
