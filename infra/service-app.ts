import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseInvalidationBudget, parseShards } from '../functions/config';
import { DEFAULT_THROTTLE, TokenServiceStack } from './token-service-stack';

export const STACK_NAME = 'EsTokenService';

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
  const stack = new TokenServiceStack(app, STACK_NAME, {
    description: 'Elasticsearch-compatible token service (API Gateway, Lambda, DynamoDB)',
    tokenTimeout: contextString(app, 'tokenTimeout'),
    indexShards: parseShards(contextString(app, 'indexShards')),
    invalidationBudgetMs: parseInvalidationBudget(contextString(app, 'invalidationBudget')),
    throttle: {
      rateLimit: positiveNumber(app, 'throttleRateLimit', DEFAULT_THROTTLE.rateLimit),
      burstLimit: positiveNumber(app, 'throttleBurstLimit', DEFAULT_THROTTLE.burstLimit),
    },
    webAclArn: contextString(app, 'webAclArn'),
    samLocal: contextString(app, 'samLocal') === 'true',
    esPathConf: contextString(app, 'esPathConf'),
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
