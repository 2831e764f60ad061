import * as path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { tableAccessStatements } from './dynamodb-tables';
import { ESBUILD_TARGET, LAMBDA_RUNTIME } from './node-runtime';
import { ON_DEMAND_LIBRARY_MODULES } from './on-demand-library-layer';
import type { FunctionDefinition, TableAccess } from './routes';
import { SAML_LIBRARY_MODULES } from './saml-library-layer';
import { TABLES, type TableId } from './tables';

const ROOT = path.join(__dirname, '..');

/**
 * esbuild, locally (never Docker). The AWS SDK is bundled and tree-shaken from its ES module builds rather
 * than taken from the runtime, whose copy changes under a deployed function: the SDK that was tested is the
 * one that runs, and a minified bundle loads faster than the runtime's unbundled copy.
 */
export const BUNDLING: nodejs.BundlingOptions = {
  target: ESBUILD_TARGET,
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  bundleAwsSDK: true,
  mainFields: ['module', 'main'],
  forceDockerBundling: false,
  // The SAML SP library and XML parser are in a layer the SAML functions carry (saml-library-layer.ts); no other
  // handler imports them (test/infra/deployed-bundle.test.ts holds both). bcryptjs and the Lambda client are in
  // the layer every function carries, loaded when a request needs them (on-demand-library-layer.ts).
  externalModules: [...SAML_LIBRARY_MODULES, ...ON_DEMAND_LIBRARY_MODULES],
};

/**
 * With tracing off the tracer is never loaded (functions/telemetry/tracer.ts imports it at the first request,
 * and only when tracing is on): left out, the X-Ray SDK costs no bundle and no cold start.
 */
const TRACER_MODULES = ['@aws-lambda-powertools/tracer', 'aws-xray-sdk-core'];

/** The bundling of a function, with or without the tracer. */
export function bundlingOf(tracing: boolean | undefined): nodejs.BundlingOptions {
  if (tracing) return BUNDLING;
  return { ...BUNDLING, externalModules: [...(BUNDLING.externalModules ?? []), ...TRACER_MODULES] };
}

export interface ServiceFunctionProps {
  readonly definition: FunctionDefinition;
  readonly environment: Record<string, string>;
  readonly tables: Record<TableId, dynamodb.ITable>;
  readonly elasticPassword: secretsmanager.ISecret;
  readonly logRetention: logs.RetentionDays;
  /** Active X-Ray tracing of the function (Powertools Tracer does the rest). */
  readonly tracing?: boolean;
  /** Concurrency reserved for the function: a floor for it and a ceiling on what it takes from the account. */
  readonly reservedConcurrency?: number;
  /** Layers every function carries (the file realm's files, when the deployment has one). */
  readonly layers?: lambda.ILayerVersion[];
}

/**
 * One API's function: Node.js 22 on arm64, its own log group, and its own role allowing exactly what its
 * definition declares, plus reading the `elastic` secret and writing its log group. Construct ids stay
 * flat (`<Name>Function`) so the template's logical ids and `sam local invoke <Name>Function` are stable.
 */
export function serviceFunction(scope: Construct, name: string, props: ServiceFunctionProps): nodejs.NodejsFunction {
  const { definition } = props;
  const logGroup = new logs.LogGroup(scope, `${name}Logs`, {
    retention: props.logRetention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  // An own role instead of AWSLambdaBasicExecutionRole: it may write to its own log group, not to any.
  const role = new iam.Role(scope, `${name}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Function of ${definition.description}`,
  });
  logGroup.grantWrite(role);
  props.elasticPassword.grantRead(role);
  for (const [tableId, access] of Object.entries(definition.access) as [TableId, TableAccess][]) {
    for (const statement of tableAccessStatements(props.tables[tableId], TABLES[tableId].definition, access)) {
      role.addToPrincipalPolicy(statement);
    }
  }

  const fn = new nodejs.NodejsFunction(scope, `${name}Function`, {
    entry: path.join(ROOT, definition.entry),
    description: definition.description,
    runtime: LAMBDA_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 512,
    // API Gateway stops waiting at 29 s; a function still running after that only costs.
    timeout: Duration.seconds(29),
    role,
    logGroup,
    environment: props.environment,
    bundling: bundlingOf(props.tracing),
    layers: props.layers,
    ...(props.tracing && { tracing: lambda.Tracing.ACTIVE }),
    ...(props.reservedConcurrency !== undefined && { reservedConcurrentExecutions: props.reservedConcurrency }),
  });
  if (props.tracing) {
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray has no resource-level permissions: PutTraceSegments and PutTelemetryRecords only take *.',
    });
  }
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-L1',
    reason:
      'Node.js 22 is the runtime the design fixes and the bundle targets; a newer one is a tested change, not an automatic one.',
  });
  if (definition.invokesItself) {
    // A policy of its own, not the role's default one: the function depends on that, and this one names the function.
    new iam.Policy(scope, `${name}SelfInvoke`, {
      roles: [role],
      statements: [new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] })],
    });
  }
  return fn;
}
