import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { AuditLog, deployedAuditSettings } from './audit-log';
import { BackgroundSweeps } from './background-sweeps';
import { ConfigDirectoryLayer } from './config-directory-layer';
import { tableFrom } from './dynamodb-tables';
import { DEFAULT_REVOCATION_EVENT_BUS, functionEnvironment } from './function-environment';
import { serviceFunction } from './lambda-functions';
import { type AlarmThresholds, ServiceMonitoring } from './monitoring';
import { OnDemandLibraryLayer } from './on-demand-library-layer';
import { serviceRestApi } from './rest-api';
import { FUNCTIONS, type FunctionDefinition, type HttpMethod, ROUTES } from './routes';
import { SamlLibraryLayer } from './saml-library-layer';
import { ssoDeployment } from './sso-settings';
import { TABLES, type TableId } from './tables';

/** The functions and routes the stack serves: the API registry's (routes.ts), unless a test gives its own. */
export interface ServiceApi {
  readonly functions: Readonly<Record<string, FunctionDefinition>>;
  readonly routes: readonly { readonly method: HttpMethod; readonly path: string; readonly function: string }[];
}

export interface TokenServiceStackProps extends StackProps {
  /** GT-12: `xpack.security.authc.token.timeout`, e.g. `20m` (1s..1h). */
  readonly tokenTimeout?: string;
  /** RF-1: REFRESH_TOKEN_LIFETIME, e.g. `7d` (1h..30d). */
  readonly refreshTokenLifetime?: string;
  /** LC-1: REVOKE_ON_ACCOUNT_CHANGE. Off by default (Elasticsearch's behaviour). */
  readonly revokeOnAccountChange?: boolean;
  /** LC-2: REFRESH_REUSE_DETECTION. Off by default (Elasticsearch's behaviour). */
  readonly refreshReuseDetection?: boolean;
  /** Shards of the realm and username indexes (DESIGN §3), 1..256. */
  readonly indexShards?: number;
  /** How long a realm- or user-wide invalidation works before it answers, in ms (1000..25000). */
  readonly invalidationBudgetMs?: number;
  /** Stage throttling: steady requests per second and burst, for the whole API. */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /** How long the function and access logs are kept. */
  readonly logRetention?: logs.RetentionDays;
  /** An existing regional WAFv2 web ACL to put in front of the API. */
  readonly webAclArn?: string;
  /**
   * Declares the variables `sam local --env-vars` overrides (DYNAMODB_ENDPOINT, ELASTIC_PASSWORD):
   * sam only overrides variables the template declares, and a deployed stack has no use for them.
   */
  readonly samLocal?: boolean;
  readonly api?: ServiceApi;
  /** The API stage, and what tells this deployment's names apart from another's in the account. */
  readonly stage?: string;
  /** How long a function uses the `elastic` password it read before reading it again (`5m`). */
  readonly elasticPasswordMaxAge?: string;
  /** X-Ray on the stage and the functions, Powertools Tracer in them. Off by default. */
  readonly tracing?: boolean;
  /** Reserved concurrency by function id (`getToken: 100`); a function not named has none. */
  readonly reservedConcurrency?: Readonly<Record<string, number>>;
  /** Mail the alarms to this address (an SNS topic and an e-mail subscription, confirmed by its owner). */
  readonly alarmEmail?: string;
  readonly alarmThresholds?: Partial<AlarmThresholds>;
  /**
   * An Elasticsearch config directory (`-c esPathConf=./config`), read at synth: its `users`, `users_roles`
   * and `roles.yml` ship to every function, so a deployment has the file realm `npm start` has, and the SSO
   * realms of its `elasticsearch.yml` are checked and handed to the SSO functions. None by default.
   */
  readonly esPathConf?: string;
  /** `xpack.security.audit.enabled`, over `esPathConf`'s: the audit log group and its forwarder come with it. */
  readonly auditEnabled?: boolean;
  /** Days the audit log group keeps its events (365). */
  readonly auditLogRetentionDays?: number;
  /**
   * The EventBridge bus (name or ARN) the functions that invalidate announce each revocation on; `default`,
   * the account's default bus, unless given; an empty string announces nothing.
   */
  readonly revocationEventBus?: string;
  /** Further queues where failed background work lands (the sweep failure queue is always watched); each gets a depth alarm. */
  readonly failureQueues?: readonly sqs.IQueue[];
}

const SERVICE_NAME = 'es-token-service';
export const DEFAULT_STAGE = 'prod';

/**
 * The service name of a stage: the API's name and the `service` dimension of the functions' metrics, so two
 * stages in one account never add up in one metric. The default stage keeps the plain name.
 */
const serviceNameFor = (stage: string) => (stage === DEFAULT_STAGE ? SERVICE_NAME : `${SERVICE_NAME}-${stage}`);
const METRICS_NAMESPACE = 'EsTokenService';
export const DEFAULT_THROTTLE = { rateLimit: 1000, burstLimit: 2000 } as const;

const pascalCase = (id: string) => `${id[0]?.toUpperCase()}${id.slice(1)}`;

/** The bus revocation events are put on, by its name or ARN; none when the name is empty. */
function revocationEventBus(scope: Construct, bus: string): events.IEventBus | undefined {
  if (bus === '') return undefined;
  return bus.startsWith('arn:')
    ? events.EventBus.fromEventBusArn(scope, 'RevocationEventBus', bus)
    : events.EventBus.fromEventBusName(scope, 'RevocationEventBus', bus);
}

/** The reserved `elastic` user's password, generated at deploy. */
function elasticPasswordSecret(scope: Construct): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(scope, 'ElasticPassword', {
    description: `Password of the reserved elastic superuser of ${SERVICE_NAME} (generated at deploy)`,
    // No punctuation: the password goes into shells and Basic credentials as it is; 32 alphanumerics are ~190 bits.
    generateSecretString: { passwordLength: 32, excludePunctuation: true },
  });
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'The elastic password is a user credential its operator changes (put-secret-value); a rotation function would change it under its clients.',
  });
  return secret;
}

/**
 * The deployed service: the tables, the `elastic` bootstrap secret, one Lambda function per API with the
 * grants its registry entry declares, and a regional REST API whose routes are the registry's. Adding an API
 * is an entry in the API registry (functions/api/registry.ts), adding a table one in `TABLES`.
 */
export class TokenServiceStack extends Stack {
  readonly tables: Record<TableId, dynamodb.Table>;
  readonly elasticPassword: secretsmanager.Secret;
  readonly functions: Record<string, nodejs.NodejsFunction> = {};
  readonly api: apigateway.RestApi;
  readonly stage: string;
  readonly serviceName: string;
  readonly monitoring: ServiceMonitoring;
  /** Continuation events of invalidation sweeps that failed after their retries (to alarm on, to redrive). */
  readonly sweepFailures: sqs.IQueue;
  /** The audit log, when it is on. */
  readonly auditLog?: AuditLog;

  constructor(scope: Construct, id: string, props: TokenServiceStackProps = {}) {
    super(scope, id, props);
    const { functions, routes } = props.api ?? { functions: FUNCTIONS, routes: ROUTES };
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    this.stage = props.stage ?? DEFAULT_STAGE;
    this.serviceName = serviceNameFor(this.stage);
    const unknown = Object.keys(props.reservedConcurrency ?? {}).filter((name) => !(name in functions));
    if (unknown.length > 0) throw new Error(`reservedConcurrency names unknown functions: ${unknown.join(', ')}`);

    this.tables = Object.fromEntries(
      Object.entries(TABLES).map(([tableId, { definition }]) => [
        tableId,
        tableFrom(this, `${pascalCase(tableId)}Table`, definition),
      ]),
    ) as Record<TableId, dynamodb.Table>;

    this.elasticPassword = elasticPasswordSecret(this);

    const sso = ssoDeployment(this, props.esPathConf);
    const auditSettingsJson = deployedAuditSettings(props.esPathConf, props.auditEnabled);
    if (auditSettingsJson !== undefined) {
      this.auditLog = new AuditLog(this, 'AuditLog', { retentionDays: props.auditLogRetentionDays ?? 365 });
    }
    const fileRealm =
      props.esPathConf === undefined
        ? undefined
        : new ConfigDirectoryLayer(this, 'FileRealm', { directory: props.esPathConf, realmFiles: sso?.layerFiles });
    const environment = {
      ...functionEnvironment({
        settings: props,
        tables: this.tables,
        elasticPasswordSecretArn: this.elasticPassword.secretArn,
        auditSettingsJson,
        serviceName: this.serviceName,
        metricsNamespace: METRICS_NAMESPACE,
      }),
      ...sso?.environment,
    };
    const revocationBus = revocationEventBus(this, props.revocationEventBus ?? DEFAULT_REVOCATION_EVENT_BUS);
    const background = new BackgroundSweeps(this, 'Sweeps');
    // Built at the first SAML function: a stack given only some of the APIs builds it only when one is SAML.
    let samlLayer: SamlLibraryLayer | undefined;
    const samlLibrary = () => {
      samlLayer ??= new SamlLibraryLayer(this, 'SamlLibrary');
      return samlLayer;
    };
    const onDemand = new OnDemandLibraryLayer(this, 'OnDemandLibraries');
    this.sweepFailures = background.failures;
    for (const [functionId, definition] of Object.entries(functions)) {
      this.functions[functionId] = serviceFunction(this, pascalCase(functionId), {
        definition,
        environment,
        tables: this.tables,
        elasticPassword: this.elasticPassword,
        logRetention,
        tracing: props.tracing,
        reservedConcurrency: props.reservedConcurrency?.[functionId],
        layers: [
          onDemand.layer,
          ...(fileRealm ? [fileRealm.layer] : []),
          ...(definition.samlLibrary ? [samlLibrary().layer] : []),
        ],
      });
      this.auditLog?.collect(pascalCase(functionId), this.functions[functionId].logGroup);
      if (definition.invokesItself) background.attach(pascalCase(functionId), this.functions[functionId]);
      if (definition.readsSecureSettings) sso?.grantRead(this.functions[functionId]);
      if (definition.announcesRevocations) revocationBus?.grantPutEventsTo(this.functions[functionId]);
    }

    this.api = serviceRestApi(this, {
      name: this.serviceName,
      stageName: this.stage,
      tracing: props.tracing,
      functions: this.functions,
      routes,
      throttle: props.throttle ?? DEFAULT_THROTTLE,
      logRetention,
      webAclArn: props.webAclArn,
    });

    this.monitoring = new ServiceMonitoring(this, 'Monitoring', {
      prefix: this.stackName,
      api: this.api,
      functions: this.functions,
      tables: Object.fromEntries(
        Object.entries(TABLES).map(([tableId, { definition }]) => [
          tableId,
          { table: this.tables[tableId as TableId], indexNames: definition.indexes.map((index) => index.indexName) },
        ]),
      ),
      // The sweep failure queue always; a caller may add queues of its own.
      failureQueues: [this.sweepFailures, ...(props.failureQueues ?? [])],
      serviceMetrics: { namespace: METRICS_NAMESPACE, serviceName: this.serviceName },
      thresholds: props.alarmThresholds,
      alarmEmail: props.alarmEmail,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the Elasticsearch token API' });
    new CfnOutput(this, 'ElasticPasswordSecretName', {
      value: this.elasticPassword.secretName,
      description: 'Secrets Manager secret holding the password of the elastic user',
    });
    new CfnOutput(this, 'SweepFailuresQueueUrl', {
      value: this.sweepFailures.queueUrl,
      description: 'SQS queue of invalidation sweeps that failed in the background (npm run redrive-sweeps)',
    });
    for (const [tableId, table] of Object.entries(this.tables)) {
      new CfnOutput(this, `${pascalCase(tableId)}TableName`, { value: table.tableName });
    }
    if (this.auditLog !== undefined) {
      new CfnOutput(this, 'AuditLogGroupName', {
        value: this.auditLog.logGroup.logGroupName,
        description: "Log group of the audit events (Elasticsearch's audit log)",
      });
    }
    new CfnOutput(this, 'Stage', { value: this.stage, description: 'API stage of this deployment' });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
  }
}
