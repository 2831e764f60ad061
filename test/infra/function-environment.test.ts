import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Setting } from '../../functions/setting-types';
import { SETTINGS } from '../../functions/settings';
import { type FunctionEnvironmentInput, functionEnvironment } from '../../infra/function-environment';

const settings = Object.values(SETTINGS) as Setting[];
const variablesDeployedBy = (...by: Setting['deployed'][]) =>
  settings.flatMap((s) => (s.env !== undefined && by.includes(s.deployed) ? [s.env] : [])).sort();

const input = (overrides: FunctionEnvironmentInput['settings'] = {}): FunctionEnvironmentInput => ({
  settings: overrides,
  tables: {
    tokens: { tableName: 'stack-tokens' },
    users: { tableName: 'stack-users' },
    roles: { tableName: 'stack-roles' },
    roleMappings: { tableName: 'stack-role-mappings' },
  },
  elasticPasswordSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:elastic-AbCdEf',
  serviceName: 'es-token-service-dev',
  metricsNamespace: 'EsTokenService',
});

describe("the deployed functions' environment, built from the settings table", () => {
  it('sets exactly the variables the table says the stack sets, at the defaults of the table', () => {
    const environment = functionEnvironment(input());
    expect(Object.keys(environment).sort()).toEqual(variablesDeployedBy('context', 'stack'));
    expect(environment).toEqual({
      TOKEN_TIMEOUT: '20m',
      REFRESH_TOKEN_LIFETIME: '24h',
      REVOKE_ON_ACCOUNT_CHANGE: 'false',
      REFRESH_REUSE_DETECTION: 'false',
      TOKEN_INDEX_SHARDS: '16',
      INVALIDATION_BUDGET: '20s',
      ELASTIC_PASSWORD_MAX_AGE: '5m',
      REVOCATION_EVENT_BUS: 'default',
      TOKENS_TABLE: 'stack-tokens',
      USERS_TABLE: 'stack-users',
      ROLES_TABLE: 'stack-roles',
      ROLE_MAPPINGS_TABLE: 'stack-role-mappings',
      ELASTIC_PASSWORD_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:elastic-AbCdEf',
      POWERTOOLS_SERVICE_NAME: 'es-token-service-dev',
      POWERTOOLS_METRICS_NAMESPACE: 'EsTokenService',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_TRACE_ENABLED: 'false',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it('writes the settings deployed from context, the config directory and the sam local declarations when given', () => {
    const environment = functionEnvironment(
      input({
        tokenTimeout: '30m',
        refreshTokenLifetime: '7d',
        revokeOnAccountChange: true,
        refreshReuseDetection: true,
        indexShards: 8,
        invalidationBudgetMs: 1_500,
        tracing: true,
        esPathConf: 'config',
        samLocal: true,
      }),
    );
    expect(environment).toMatchObject({
      TOKEN_TIMEOUT: '30m',
      REFRESH_TOKEN_LIFETIME: '7d',
      REVOKE_ON_ACCOUNT_CHANGE: 'true',
      REFRESH_REUSE_DETECTION: 'true',
      TOKEN_INDEX_SHARDS: '8',
      INVALIDATION_BUDGET: '1500ms',
      POWERTOOLS_TRACE_ENABLED: 'true',
      ES_PATH_CONF: '/opt/es-config',
      DYNAMODB_ENDPOINT: '',
      ELASTIC_PASSWORD: '',
    });
  });

  it('refuses what a function would refuse at its cold start, with the same message', () => {
    expect(() => functionEnvironment(input({ indexShards: 300 }))).toThrow(
      'TOKEN_INDEX_SHARDS: [300] must be a whole number from 1 to 256',
    );
  });

  it('infra/sam-local/env.json names only variables of the table, at their defaults where sam needs no other value', () => {
    const { Parameters: parameters } = JSON.parse(readFileSync(join(__dirname, '../../infra/sam-local/env.json'), 'utf8')) as {
      Parameters: Record<string, string>;
    };
    const byVariable = new Map(settings.map((s) => [s.env, s]));
    expect(Object.keys(parameters).filter((name) => !byVariable.has(name))).toEqual([]);
    for (const [name, value] of Object.entries(parameters)) {
      const { default: fallback } = byVariable.get(name) as Setting;
      if (fallback !== undefined) expect([name, value]).toEqual([name, fallback]);
    }
  });
});
