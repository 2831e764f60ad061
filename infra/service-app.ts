import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigurationError, formatTimeValue } from '../functions/setting-types';
import { readContextSettings } from './context-settings';
import { FUNCTIONS } from './routes';
import { DEFAULT_STAGE, TokenServiceStack } from './token-service-stack';

export const STACK_NAME = 'EsTokenService';

/** The default stage keeps the plain stack name (existing deployments stay where they are); others get theirs. */
const stackNameFor = (stage: string) => (stage === DEFAULT_STAGE ? STACK_NAME : `${STACK_NAME}-${stage}`);

/** The stack checks the ids too; checking them here makes a mistyped one the one-line error of any context value. */
function knownFunctions(reserved: Readonly<Record<string, number>> | undefined) {
  const unknown = Object.keys(reserved ?? {}).filter((id) => !(id in FUNCTIONS));
  if (unknown.length > 0) {
    throw new ConfigurationError(
      `context reservedConcurrency: names unknown functions: ${unknown.join(', ')} (the functions are ${Object.keys(FUNCTIONS).join(', ')})`,
    );
  }
  return reserved;
}

/**
 * The CDK app: the service's stack, configured from context (`-c tokenTimeout=30m`, cdk.json), checked
 * by cdk-nag's AwsSolutions rules on every synth. A finding that is not acknowledged, with its reason
 * beside the construct, fails the synth.
 */
export function buildServiceApp(app: App): TokenServiceStack {
  const context = readContextSettings(app);
  const stack = new TokenServiceStack(app, context.stackName ?? stackNameFor(context.stage), {
    stage: context.stage,
    tracing: context.tracing,
    elasticPasswordMaxAge: formatTimeValue(context.elasticPasswordMaxAgeMs),
    reservedConcurrency: knownFunctions(context.reservedConcurrency),
    alarmEmail: context.alarmEmail,
    alarmThresholds: {
      failedAuthenticationsPerFiveMinutes: context.failedAuthenticationsAlarm,
      apiP99LatencyMs: context.latencyAlarmMs,
      api5xxPerFiveMinutes: context.api5xxAlarm,
    },
    description: 'Elasticsearch-compatible token service (API Gateway, Lambda, DynamoDB)',
    tokenTimeout: formatTimeValue(context.accessTokenTimeoutMs),
    refreshTokenLifetime: formatTimeValue(context.refreshTokenLifetimeMs),
    revokeOnAccountChange: context.revokeOnAccountChange,
    refreshReuseDetection: context.refreshReuseDetection,
    indexShards: context.indexShards,
    invalidationBudgetMs: context.invalidationBudgetMs,
    throttle: { rateLimit: context.throttleRateLimit, burstLimit: context.throttleBurstLimit },
    webAclArn: context.webAclArn,
    esPathConf: context.esPathConf,
    samLocal: context.samLocal,
    auditEnabled: context.auditEnabled,
    auditLogRetentionDays: context.auditLogRetention,
    revocationEventBus: context.revocationEventBus,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
