import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseInvalidationBudget, parseShards } from '../functions/config';
import { DEFAULT_STAGE, DEFAULT_THROTTLE, TokenServiceStack } from './token-service-stack';

export const STACK_NAME = 'EsTokenService';

/** The default stage keeps the plain stack name (existing deployments stay where they are); others get theirs. */
export const stackNameFor = (stage: string) => (stage === DEFAULT_STAGE ? STACK_NAME : `${STACK_NAME}-${stage}`);

/** A stage name fits an API Gateway stage, a stack name and a dashboard name alike. */
function stageOf(app: App): string {
  const stage = contextString(app, 'stage') ?? DEFAULT_STAGE;
  if (!/^[A-Za-z][A-Za-z0-9-]{0,31}$/.test(stage)) {
    throw new Error(`context stage: [${stage}] must be a letter followed by up to 31 letters, digits or hyphens`);
  }
  return stage;
}

/** `getToken=100,authenticate=200` on the command line, or the same as a JSON object in cdk.json. */
function reservedConcurrencyOf(app: App): Record<string, number> | undefined {
  const value: unknown = app.node.tryGetContext('reservedConcurrency');
  if (value === undefined || value === null || value === '') return undefined;
  const entries =
    typeof value === 'object'
      ? Object.entries(value as Record<string, unknown>).map(([name, n]) => [name, String(n)])
      : String(value)
          .split(',')
          .map((pair) => pair.split('=').map((part) => part.trim()));
  return Object.fromEntries(
    entries.map(([name, raw]) => {
      const n = Number(raw);
      if (name === undefined || name === '' || !Number.isInteger(n) || n < 0) {
        throw new Error(`context reservedConcurrency: [${name}=${raw}] must be a function id and a whole number`);
      }
      return [name, n];
    }),
  );
}

/** A context value as the CLI gives it (`-c name=value`, always a string) or cdk.json does (any JSON). */
function contextString(app: App, name: string): string | undefined {
  const value: unknown = app.node.tryGetContext(name);
  return value === undefined || value === null ? undefined : String(value);
}

function positiveNumber(app: App, name: string, fallback: number): number {
  const raw = contextString(app, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`context ${name}: [${raw}] must be a whole number of at least 1`);
  return value;
}

/**
 * The CDK app: the service's stack, configured from context (`-c tokenTimeout=30m`, cdk.json), checked
 * by cdk-nag's AwsSolutions rules on every synth. A finding that is not acknowledged, with its reason
 * beside the construct, fails the synth.
 */
export function buildServiceApp(app: App): TokenServiceStack {
  const stage = stageOf(app);
  const stack = new TokenServiceStack(app, contextString(app, 'stackName') ?? stackNameFor(stage), {
    stage,
    tracing: contextString(app, 'tracing') === 'true',
    elasticPasswordMaxAge: contextString(app, 'elasticPasswordMaxAge'),
    reservedConcurrency: reservedConcurrencyOf(app),
    alarmEmail: contextString(app, 'alarmEmail'),
    alarmThresholds: {
      failedAuthenticationsPerFiveMinutes: positiveNumber(app, 'failedAuthenticationsAlarm', 100),
      apiP99LatencyMs: positiveNumber(app, 'latencyAlarmMs', 3_000),
      api5xxPerFiveMinutes: positiveNumber(app, 'api5xxAlarm', 5),
    },
    description: 'Elasticsearch-compatible token service (API Gateway, Lambda, DynamoDB)',
    tokenTimeout: contextString(app, 'tokenTimeout'),
    indexShards: parseShards(contextString(app, 'indexShards')),
    invalidationBudgetMs: parseInvalidationBudget(contextString(app, 'invalidationBudget')),
    throttle: {
      rateLimit: positiveNumber(app, 'throttleRateLimit', DEFAULT_THROTTLE.rateLimit),
      burstLimit: positiveNumber(app, 'throttleBurstLimit', DEFAULT_THROTTLE.burstLimit),
    },
    webAclArn: contextString(app, 'webAclArn'),
    esPathConf: contextString(app, 'esPathConf'),
    samLocal: contextString(app, 'samLocal') === 'true',
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
