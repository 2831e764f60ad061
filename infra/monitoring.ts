import { Duration } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Where each alarm's runbook entry is (docs/operations.md), by the anchor its heading gets. */
const RUNBOOK = 'docs/operations.md';

/** Every DynamoDB operation a function of the service calls (infra/routes.ts, plus the refresh transaction). */
const TABLE_OPERATIONS = [
  dynamodb.Operation.GET_ITEM,
  dynamodb.Operation.BATCH_GET_ITEM,
  dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM,
  dynamodb.Operation.DELETE_ITEM,
  dynamodb.Operation.QUERY,
  dynamodb.Operation.SCAN,
  dynamodb.Operation.TRANSACT_WRITE_ITEMS,
];

const FIVE_MINUTES = Duration.minutes(5);

interface MonitoredTable {
  readonly table: dynamodb.ITable;
  readonly indexNames: readonly string[];
}

export interface AlarmThresholds {
  /** API 5XX answers (gateway and functions) in five minutes. */
  readonly api5xxPerFiveMinutes: number;
  /** API p99 latency, in ms, sustained for fifteen minutes. */
  readonly apiP99LatencyMs: number;
  /** 401 answers in five minutes: above it, someone is guessing passwords or replaying dead tokens. */
  readonly failedAuthenticationsPerFiveMinutes: number;
  /** A function's longest invocation, as a fraction of its timeout. */
  readonly durationOfTimeout: number;
}

export const DEFAULT_ALARM_THRESHOLDS: AlarmThresholds = {
  api5xxPerFiveMinutes: 5,
  apiP99LatencyMs: 3_000,
  failedAuthenticationsPerFiveMinutes: 100,
  durationOfTimeout: 0.9,
};

export interface ServiceMonitoringProps {
  /** Prefix of every alarm name and the dashboard's name: the stack's name, so deployments never collide. */
  readonly prefix: string;
  readonly api: apigateway.RestApi;
  readonly functions: Readonly<Record<string, lambda.Function>>;
  readonly tables: Readonly<Record<string, MonitoredTable>>;
  /** Where background work lands when it fails for good: any message there is work that was not done. */
  readonly failureQueues?: readonly sqs.IQueue[];
  /** The functions' own metrics (EMF): namespace and the `service` dimension Powertools gives them. */
  readonly serviceMetrics: { readonly namespace: string; readonly serviceName: string };
  readonly thresholds?: Partial<AlarmThresholds>;
  /** An address to mail alarms to; without it the alarms only show in the console and on the dashboard. */
  readonly alarmEmail?: string;
}

/**
 * The service's alarms and its dashboard, built from the stack's own constructs with plain CloudWatch
 * constructs: one alarm per signal an operator acts on (docs/operations.md says how), each named after
 * the stack and what it watches, all missing data treated as fine (no traffic is no failure).
 */
export class ServiceMonitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  /** The topic alarms are sent to, when an e-mail address was given. */
  readonly topic?: sns.Topic;
  private readonly thresholds: AlarmThresholds;
  private readonly alarmAction?: cloudwatch.IAlarmAction;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: ServiceMonitoringProps,
  ) {
    super(scope, id);
    this.thresholds = { ...DEFAULT_ALARM_THRESHOLDS, ...props.thresholds };
    if (props.alarmEmail !== undefined) {
      this.topic = this.alarmTopic(props.alarmEmail);
      this.alarmAction = new actions.SnsAction(this.topic);
    }
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: props.prefix });
    this.monitorApi();
    this.monitorFunctions();
    this.monitorTables();
    this.monitorAuthentication();
    for (const queue of props.failureQueues ?? []) this.watchQueue(queue);
  }

  /** Alarms on the depth of a queue where failed background work waits (a redrive is the operator's). */
  watchQueue(queue: sqs.IQueue): cloudwatch.Alarm {
    const depth = queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: FIVE_MINUTES });
    const name = queue.node.id;
    this.dashboard.addWidgets(new cloudwatch.GraphWidget({ title: `Failed background work: ${name}`, left: [depth], width: 24 }));
    return this.alarm(`FailureQueue${name}`, `${name} holds failed background work`, 'failed-background-work', depth, 1);
  }

  private monitorApi(): void {
    const { api } = this.props;
    const errors5xx = api.metricServerError({ statistic: 'Sum', period: FIVE_MINUTES });
    const latencyP99 = api.metricLatency({ statistic: 'p99', period: FIVE_MINUTES });
    this.alarm('Api5xx', 'API 5XX answers', 'api-5xx-answers', errors5xx, this.thresholds.api5xxPerFiveMinutes);
    // Sustained, not one datapoint: a realm-wide invalidation legitimately takes up to its budget (20 s).
    this.alarm('ApiLatencyP99', 'API p99 latency', 'api-p99-latency', latencyP99, this.thresholds.apiP99LatencyMs, 3);
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'API requests',
        left: [api.metricCount({ statistic: 'Sum', period: FIVE_MINUTES })],
        right: [api.metricClientError({ statistic: 'Sum', period: FIVE_MINUTES }), errors5xx],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'API latency (ms)',
        left: [api.metricLatency({ statistic: 'p50', period: FIVE_MINUTES }), latencyP99],
        width: 12,
      }),
    );
  }

  private monitorFunctions(): void {
    const byFunction = Object.entries(this.props.functions);
    for (const [name, fn] of byFunction) {
      const errors = fn.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES });
      const throttles = fn.metricThrottles({ statistic: 'Sum', period: FIVE_MINUTES });
      const longest = fn.metricDuration({ statistic: 'Maximum', period: FIVE_MINUTES });
      const timeoutMs = (fn.timeout ?? Duration.seconds(3)).toMilliseconds();
      this.alarm(`${pascal(name)}Errors`, `${name} function errors`, 'function-errors', errors, 1);
      this.alarm(`${pascal(name)}Throttles`, `${name} function throttles`, 'function-throttles', throttles, 1);
      this.alarm(
        `${pascal(name)}DurationNearTimeout`,
        `${name} function duration near its timeout`,
        'function-duration-near-timeout',
        longest,
        Math.round(timeoutMs * this.thresholds.durationOfTimeout),
      );
    }
    const widget = (title: string, metric: (fn: lambda.Function) => cloudwatch.IMetric) =>
      new cloudwatch.GraphWidget({
        title,
        left: byFunction.map(([, fn]) => metric(fn)),
        width: 8,
        legendPosition: cloudwatch.LegendPosition.RIGHT,
      });
    this.dashboard.addWidgets(
      widget('Function errors', (fn) => fn.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES, label: fn.node.id })),
      widget('Function throttles', (fn) => fn.metricThrottles({ statistic: 'Sum', period: FIVE_MINUTES, label: fn.node.id })),
      widget('Function duration p99 (ms)', (fn) =>
        fn.metricDuration({ statistic: 'p99', period: FIVE_MINUTES, label: fn.node.id }),
      ),
    );
  }

  private monitorTables(): void {
    const widgets: cloudwatch.IWidget[] = [];
    for (const [name, { table, indexNames }] of Object.entries(this.props.tables)) {
      const throttled = table.metricThrottledRequestsForOperations({ operations: TABLE_OPERATIONS, period: FIVE_MINUTES });
      const systemErrors = table.metricSystemErrorsForOperations({ operations: TABLE_OPERATIONS, period: FIVE_MINUTES });
      this.alarm(
        `${pascal(name)}TableThrottled`,
        `${name} table throttled requests`,
        'dynamodb-throttled-requests',
        throttled,
        1,
      );
      this.alarm(`${pascal(name)}TableSystemErrors`, `${name} table system errors`, 'dynamodb-system-errors', systemErrors, 1);
      const indexMetrics = indexNames.map((indexName) => {
        const events = indexThrottleEvents(table, indexName);
        this.alarm(
          `${pascal(name)}${pascal(indexName)}IndexThrottled`,
          `${name} table index ${indexName} throttled`,
          'dynamodb-throttled-requests',
          events,
          1,
        );
        return events;
      });
      // Two graphs: the two per-operation sums reuse the same metric ids, which one graph cannot hold.
      widgets.push(
        new cloudwatch.GraphWidget({ title: `${name} table throttled`, left: [throttled], right: indexMetrics, width: 6 }),
        new cloudwatch.GraphWidget({ title: `${name} table system errors`, left: [systemErrors], width: 6 }),
      );
    }
    this.dashboard.addWidgets(...widgets);
  }

  private monitorAuthentication(): void {
    const { namespace, serviceName } = this.props.serviceMetrics;
    const metric = (metricName: string) =>
      new cloudwatch.Metric({
        namespace,
        metricName,
        dimensionsMap: { service: serviceName },
        statistic: 'Sum',
        period: FIVE_MINUTES,
      });
    const failed = metric('FailedAuthentications');
    this.alarm(
      'FailedAuthenticationsSpike',
      'spike of failed authentications',
      'spike-of-failed-authentications',
      failed,
      this.thresholds.failedAuthenticationsPerFiveMinutes,
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Tokens and authentication',
        left: ['TokensIssued', 'TokensRefreshed', 'TokensInvalidated'].map(metric),
        right: [failed],
        width: 24,
      }),
    );
  }

  /** An alarm at `threshold` or more, on `periods` consecutive datapoints, described with its runbook entry. */
  private alarm(id: string, what: string, runbook: string, metric: cloudwatch.IMetric, threshold: number, periods = 1) {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: `${this.props.prefix} ${what}`,
      alarmDescription: `${what} at or above ${threshold}; what to do: ${RUNBOOK}#${runbook}`,
      metric,
      threshold,
      evaluationPeriods: periods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (this.alarmAction !== undefined) {
      alarm.addAlarmAction(this.alarmAction);
      alarm.addOkAction(this.alarmAction);
    }
    this.alarms.push(alarm);
    return alarm;
  }

  /**
   * An encrypted topic (cdk-nag SNS2) that refuses plain HTTP (SNS3). The key is the stack's own: the
   * AWS-managed SNS key does not let CloudWatch alarms publish.
   */
  private alarmTopic(email: string): sns.Topic {
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: `Encrypts the alarm topic of ${this.props.prefix}`,
      enableKeyRotation: true,
    });
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    const topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `${this.props.prefix} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    topic.addSubscription(new subscriptions.EmailSubscription(email));
    return topic;
  }
}

/** Read and write throttle events of one global secondary index (a throttled index write throttles the table). */
function indexThrottleEvents(table: dynamodb.ITable, indexName: string): cloudwatch.IMetric {
  const dimensionsMap = { TableName: table.tableName, GlobalSecondaryIndexName: indexName };
  const id = `i_${indexName.replace(/[^A-Za-z0-9]/g, '_').toLowerCase()}`;
  const events = (metricName: string) =>
    new cloudwatch.Metric({ namespace: 'AWS/DynamoDB', metricName, dimensionsMap, statistic: 'Sum', period: FIVE_MINUTES });
  return new cloudwatch.MathExpression({
    expression: `${id}_reads + ${id}_writes`,
    // Ids unique to the index, so the indexes of a table share one graph.
    usingMetrics: { [`${id}_reads`]: events('ReadThrottleEvents'), [`${id}_writes`]: events('WriteThrottleEvents') },
    label: `${indexName} throttle events`,
    period: FIVE_MINUTES,
  });
}

const pascal = (name: string) =>
  name.replace(/(^|[^A-Za-z0-9])([a-z0-9])/g, (_m, _s, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '');
