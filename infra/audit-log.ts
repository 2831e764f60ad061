import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as destinations from 'aws-cdk-lib/aws-logs-destinations';
import { Construct } from 'constructs';
import { AUDIT_PREFIX, parseAuditSettings } from '../functions/audit/audit-settings';
import { readSettingsFile } from '../functions/security/authc/realm-settings/settings-yaml';
import { ConfigurationError } from '../functions/setting-types';
import { BUNDLING } from './lambda-functions';
import { LAMBDA_RUNTIME } from './node-runtime';

/** The line every audit event starts with (functions/audit/audit-entry.ts): what the subscription filters select. */
const AUDIT_LINES = logs.FilterPattern.stringValue('$.type', '=', 'audit');

/**
 * The audit settings a deployment runs with, checked now as a function would at its start: those of `esPathConf`'s
 * `elasticsearch.yml`, with `-c auditEnabled` deciding `xpack.security.audit.enabled` when given. Undefined when
 * the audit log is off.
 */
export function deployedAuditSettings(esPathConf: string | undefined, enabled: boolean | undefined): string | undefined {
  const settings = new Map([...readSettingsFile(esPathConf)].filter(([key]) => key.startsWith(AUDIT_PREFIX)));
  if (enabled !== undefined) settings.set(`${AUDIT_PREFIX}enabled`, String(enabled));
  if (!parseAuditSettings(settings).enabled) return undefined;
  return JSON.stringify(Object.fromEntries(settings));
}

export interface AuditLogProps {
  /** Days the audit log keeps its events: one of CloudWatch Logs' retention periods. */
  readonly retentionDays: number;
}

/**
 * The audit log deployed: a log group of its own, encrypted with its own key and kept a year by default,
 * separate from the request logs. Each function writes its audit lines to stdout beside its request log; a
 * subscription filter on the function's log group sends those lines, and only those, to a forwarder whose own
 * log group the audit log is: it writes each line again, unchanged. Lambda's own START/END/REPORT lines stay
 * out of it (system log level WARN). See docs/operations.md, Audit log, for the choice and its cost.
 */
export class AuditLog extends Construct {
  readonly logGroup: logs.LogGroup;
  readonly forwarder: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: AuditLogProps) {
    super(scope, id);
    // A numeric enum's values hold its names too: only the numbers are periods.
    const retention = Object.values(logs.RetentionDays).find(
      (days): days is logs.RetentionDays => typeof days === 'number' && days === props.retentionDays,
    );
    if (retention === undefined) {
      throw new ConfigurationError(
        `context auditLogRetention: [${props.retentionDays}] is not a retention period of CloudWatch Logs`,
      );
    }
    const { region, account } = Stack.of(this);
    const key = new kms.Key(this, 'Key', { enableKeyRotation: true, description: 'Encrypts the audit log group' });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${region}:${account}:log-group:*` } },
      }),
    );
    this.logGroup = new logs.LogGroup(this, 'Events', { retention, encryptionKey: key, removalPolicy: RemovalPolicy.RETAIN });
    const role = new iam.Role(this, 'ForwarderRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Forwarder of the audit events into the audit log group',
    });
    this.logGroup.grantWrite(role);
    this.forwarder = new nodejs.NodejsFunction(this, 'Forwarder', {
      entry: path.join(__dirname, '..', 'functions', 'audit', 'forwarder.ts'),
      description: 'Writes the audit events of the functions into the audit log group',
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(30),
      role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      bundling: BUNDLING,
    });
    Validations.of(this.forwarder).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Node.js 22 is the runtime the design fixes and the bundle targets, as for every function of the service.',
    });
  }

  /**
   * Sends the audit lines of a function's log group to the audit log. One permission lets CloudWatch Logs invoke
   * the forwarder for every log group of this stack, instead of one per function: with a function per API, one
   * resource each would take the stack past CloudFormation's 500.
   */
  collect(id: string, functionLogs: logs.ILogGroup): void {
    if (this.logsMayInvoke === undefined) {
      const { partition, region, account, stackName } = Stack.of(this);
      this.logsMayInvoke = new lambda.CfnPermission(this, 'LogsInvoke', {
        action: 'lambda:InvokeFunction',
        functionName: this.forwarder.functionArn,
        principal: 'logs.amazonaws.com',
        sourceAccount: account,
        sourceArn: `arn:${partition}:logs:${region}:${account}:log-group:${stackName}-*:*`,
      });
    }
    const filter = new logs.SubscriptionFilter(this, `${id}Events`, {
      logGroup: functionLogs,
      destination: new destinations.LambdaDestination(this.forwarder, { addPermissions: false }),
      filterPattern: AUDIT_LINES,
    });
    filter.node.addDependency(this.logsMayInvoke);
  }

  private logsMayInvoke?: lambda.CfnPermission;
}
