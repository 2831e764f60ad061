import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { TOKENS_TABLE } from '../../functions/store/tables';
import { FUNCTIONS } from '../../infra/routes';
import { buildServiceApp } from '../../infra/service-app';
import { TokenServiceStack } from '../../infra/token-service-stack';
import { type Resource, synthesize, testApp } from '../support/cdk-app';

/**
 * The app as `cdk synth -c ...` builds it (cdk-nag included), without bundling: these assertions read the
 * template. `app.synth()` runs the AwsSolutions checks, so every case here is also a cdk-nag-clean synth.
 */
const synthApp = (context: Record<string, string> = {}) => synthesize(buildServiceApp, context);

const alarms = (resources: Record<string, Resource>) =>
  Object.values(resources)
    .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
    .map((r) => r.Properties);

const alarmNamed = (resources: Record<string, Resource>, name: string) => {
  const found = alarms(resources).find((a) => a.AlarmName === name);
  if (found === undefined) throw new Error(`no alarm [${name}]; alarms: ${alarms(resources).map((a) => a.AlarmName)}`);
  return found;
};

/** The metric names an alarm watches, directly or through a math expression. */
const watchedMetrics = (alarm: Record<string, unknown>): string[] => {
  if (typeof alarm.MetricName === 'string') return [alarm.MetricName];
  const metrics = (alarm.Metrics ?? []) as { MetricStat?: { Metric: { MetricName: string } } }[];
  return metrics.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric.MetricName] : []));
};

describe('operations: alarms, dashboard, tracing, stages, alarm mail', () => {
  const { stack, template, resources } = synthApp();

  it('alarms on API 5XX answers and on a sustained API p99 latency', () => {
    const errors = alarmNamed(resources, 'EsTokenService API 5XX answers');
    expect(errors).toMatchObject({ Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Statistic: 'Sum', Threshold: 5 });
    const latency = alarmNamed(resources, 'EsTokenService API p99 latency');
    expect(latency).toMatchObject({ MetricName: 'Latency', ExtendedStatistic: 'p99', Threshold: 3000, EvaluationPeriods: 3 });
    expect(latency.Dimensions).toEqual(expect.arrayContaining([{ Name: 'ApiName', Value: 'es-token-service' }]));
  });

  it('alarms on errors, throttles and a duration near the timeout of every function', () => {
    for (const functionId of Object.keys(FUNCTIONS)) {
      expect(alarmNamed(resources, `EsTokenService ${functionId} function errors`)).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Threshold: 1,
      });
      expect(alarmNamed(resources, `EsTokenService ${functionId} function throttles`)).toMatchObject({ MetricName: 'Throttles' });
      // 90% of the 29 s timeout.
      expect(alarmNamed(resources, `EsTokenService ${functionId} function duration near its timeout`)).toMatchObject({
        MetricName: 'Duration',
        Statistic: 'Maximum',
        Threshold: 26_100,
      });
    }
  });

  it('alarms on throttled requests and system errors of every table, and on throttling of every index', () => {
    for (const table of ['tokens', 'users', 'roles']) {
      expect(watchedMetrics(alarmNamed(resources, `EsTokenService ${table} table throttled requests`))).toContain(
        'ThrottledRequests',
      );
      expect(watchedMetrics(alarmNamed(resources, `EsTokenService ${table} table system errors`))).toContain('SystemErrors');
    }
    for (const { indexName } of TOKENS_TABLE.indexes) {
      const alarm = alarmNamed(resources, `EsTokenService tokens table index ${indexName} throttled`);
      expect(watchedMetrics(alarm).sort()).toEqual(['ReadThrottleEvents', 'WriteThrottleEvents']);
      expect(JSON.stringify(alarm.Metrics)).toContain(`"Value":"${indexName}"`);
    }
  });

  it('alarms on a spike of FailedAuthentications of this service', () => {
    expect(alarmNamed(resources, 'EsTokenService spike of failed authentications')).toMatchObject({
      Namespace: 'EsTokenService',
      MetricName: 'FailedAuthentications',
      Dimensions: [{ Name: 'service', Value: 'es-token-service' }],
      Threshold: 100,
    });
  });

  it('treats missing data as fine and points every alarm at its runbook entry', () => {
    for (const alarm of alarms(resources)) {
      expect(alarm.TreatMissingData).toBe('notBreaching');
      expect(alarm.AlarmDescription).toMatch(/docs\/operations\.md#[a-z0-9-]+$/);
    }
  });

  it('builds a dashboard named after the stack, with the alarms but no topic when no address is given', () => {
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'EsTokenService' });
    template.resourceCountIs('AWS::SNS::Topic', 0);
    expect(alarms(resources).every((a) => a.AlarmActions === undefined)).toBe(true);
  });

  it('watches the depth of every failure queue it is given', () => {
    const app = testApp();
    const queues = new Stack(app, 'Queues');
    const queue = new sqs.Queue(queues, 'SweepFailures');
    const withQueue = Template.fromStack(new TokenServiceStack(app, 'WithQueue', { failureQueues: [queue] }));
    withQueue.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'WithQueue SweepFailures holds failed background work',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
    });
  });

  it('traces nothing by default', () => {
    template.allResourcesProperties('AWS::Lambda::Function', {
      TracingConfig: Match.absent(),
      Environment: { Variables: Match.objectLike({ POWERTOOLS_TRACE_ENABLED: 'false' }) },
    });
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'prod', TracingEnabled: false });
    expect(stack.stackName).toBe('EsTokenService');
  });

  it('with -c tracing=true, traces the stage and every function, cdk-nag clean', () => {
    const traced = synthApp({ tracing: 'true' }).template;
    traced.allResourcesProperties('AWS::Lambda::Function', {
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: Match.objectLike({ POWERTOOLS_TRACE_ENABLED: 'true' }) },
    });
    traced.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
  });

  it('with -c stage=dev, is a second deployment: its own stack, stage, API, metrics, alarms, dashboard and outputs', () => {
    const dev = synthApp({ stage: 'dev' });
    expect(dev.stack.stackName).toBe('EsTokenService-dev');
    dev.template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'dev' });
    dev.template.hasResourceProperties('AWS::ApiGateway::RestApi', { Name: 'es-token-service-dev' });
    dev.template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'EsTokenService-dev' });
    dev.template.hasOutput('Stage', { Value: 'dev' });
    dev.template.allResourcesProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'es-token-service-dev' }) },
    });
    expect(alarms(dev.resources).every((a) => String(a.AlarmName).startsWith('EsTokenService-dev '))).toBe(true);
    expect(alarmNamed(dev.resources, 'EsTokenService-dev spike of failed authentications').Dimensions).toEqual([
      { Name: 'service', Value: 'es-token-service-dev' },
    ]);
    // Log groups are named by CloudFormation after the stack (EsTokenService-dev-GetTokenLogs...), never fixed.
    expect(Object.values(dev.resources).filter((r) => r.Type === 'AWS::Logs::LogGroup' && r.Properties.LogGroupName)).toEqual([]);
  });

  it('refuses a stage name that cannot name a stack and a stage', () => {
    expect(() => synthApp({ stage: 'dev/1' })).toThrow(/context stage: \[dev\/1\]/);
  });

  it('with -c alarmEmail=..., sends every alarm and its recovery to an encrypted topic mailing that address, cdk-nag clean', () => {
    const mailed = synthApp({ alarmEmail: 'ops@example.com' });
    mailed.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    mailed.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    mailed.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const [topicId] = Object.keys(mailed.template.findResources('AWS::SNS::Topic'));
    for (const alarm of alarms(mailed.resources)) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.OKActions).toEqual([{ Ref: topicId }]);
    }
  });

  it('reserves concurrency for the functions -c reservedConcurrency names, and refuses an unknown one', () => {
    const reserved = synthApp({ reservedConcurrency: 'getToken=50, authenticate=200' });
    const functions = Object.values(reserved.resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    const byDescription = Object.fromEntries(
      functions.map((f) => [f.Properties.Description, f.Properties.ReservedConcurrentExecutions]),
    );
    expect(byDescription[FUNCTIONS.getToken.description]).toBe(50);
    expect(byDescription[FUNCTIONS.authenticate.description]).toBe(200);
    expect(functions.filter((f) => f.Properties.ReservedConcurrentExecutions !== undefined)).toHaveLength(2);
    expect(() => synthApp({ reservedConcurrency: 'getTokens=50' })).toThrow(/unknown functions: getTokens/);
  });
});
