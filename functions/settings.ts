/**
 * Every setting of the service, once: its environment variable, its CDK context key, its default, what it
 * allows and what it means. `loadConfig` (config.ts), the context `cdk synth` reads (infra/context-settings.ts),
 * the functions' environment in the stack (infra/function-environment.ts), `npm run users`' defaults and the
 * table of docs/configuration.md are all read from here. A leaf module: the functions and `cdk synth` load it.
 *
 * A setting with an environment variable is a runtime one (read at each start: a cold start, `npm start`);
 * one with only a context key is a deploy-time one (read by `cdk synth`). A runtime setting with a context key
 * too is set in the deployed functions' environment from that key.
 */

import { DEPLOY_SETTINGS } from './deploy-settings';
import { flag, type Setting, text, textLike, timeValue, wholeNumber } from './setting-types';

/** API Gateway answers 504 at 29 s: the budget leaves room for the answer and a cold start. */
const MAX_INVALIDATION_BUDGET_MS = 25_000;
/** Budget plus drain plus the hand-off stay under the gateway's 29 s. */
const MAX_INVALIDATION_DRAIN_MS = 2_000;

const tableName = (env: string, name: string, what: string) =>
  ({ env, type: text, default: name, deployed: 'stack', description: `Name of the ${what} table.` }) as const;

/** The settings `loadConfig` reads, by the name of the Config field each one fills. */
export const CONFIG_SETTINGS = {
  accessTokenTimeoutMs: {
    env: 'TOKEN_TIMEOUT',
    context: 'tokenTimeout',
    type: timeValue({
      minMs: 1_000,
      maxMs: 3_600_000,
      outOfRange: (raw) =>
        `access token timeout [${raw}] is out of range: it must be between 1s and 1h (the limits of xpack.security.authc.token.timeout)`,
    }),
    default: '20m',
    deployed: 'context',
    description:
      "GT-12: access-token lifetime, Elasticsearch's `xpack.security.authc.token.timeout`, parsed as Elasticsearch's TimeValue (units in any case but `M`, no fractions: `1.5h` refuses to start with its message).",
  },
  refreshTokenLifetimeMs: {
    env: 'REFRESH_TOKEN_LIFETIME',
    context: 'refreshTokenLifetime',
    type: timeValue({
      minMs: 3_600_000,
      maxMs: 30 * 86_400_000,
      outOfRange: (raw) => `refresh token lifetime [${raw}] is out of range: it must be between 1h and 30d`,
    }),
    default: '24h',
    deployed: 'context',
    description:
      "RF-1: how long a refresh token, and so its pair, lives from the pair's creation; Elasticsearch's is fixed at 24h. Lowering it ends older pairs at once; raising it lengthens only the pairs issued after (see [differences](differences.md#token-lifecycle-policies)).",
  },
  revokeOnAccountChange: {
    env: 'REVOKE_ON_ACCOUNT_CHANGE',
    context: 'revokeOnAccountChange',
    type: flag,
    default: 'false',
    deployed: 'context',
    description:
      "LC-1: a native user's password change, disabling or deletion, and a change or removal of a file realm user's entry, refuses every token of that user in that realm from then on. Off: Elasticsearch's behaviour (the tokens stay valid).",
  },
  refreshReuseDetection: {
    env: 'REFRESH_REUSE_DETECTION',
    context: 'refreshReuseDetection',
    type: flag,
    default: 'false',
    deployed: 'context',
    description:
      "LC-2: a refresh token presented again after its 30-second window is refused and revokes every pair refreshed from the same grant (the family). Off: Elasticsearch's behaviour (refused, nothing else).",
  },
  indexShards: {
    env: 'TOKEN_INDEX_SHARDS',
    context: 'indexShards',
    type: wholeNumber(1, 256),
    default: '16',
    deployed: 'context',
    description: 'Shards of the realm and username indexes (see the design).',
  },
  invalidationBudgetMs: {
    env: 'INVALIDATION_BUDGET',
    context: 'invalidationBudget',
    type: timeValue({ maxMs: MAX_INVALIDATION_BUDGET_MS }),
    default: '20s',
    deployed: 'context',
    description:
      "IV-10: time after which a realm- or user-wide invalidation starts no more writes, answers and goes on in the background; at most 25s, to fit API Gateway's 29 s.",
  },
  invalidationDrainMs: {
    env: 'INVALIDATION_DRAIN',
    type: timeValue({ maxMs: MAX_INVALIDATION_DRAIN_MS }),
    default: '1s',
    description: 'How long, past the budget, a sweep waits for the writes it has in flight before answering.',
  },
  invalidationSettleMs: {
    env: 'INVALIDATION_SETTLE',
    type: timeValue({ maxMs: 60_000 }),
    default: '1s',
    description:
      'Wait before the catch-up pass of a realm- or user-wide invalidation (index lag, see the design); `0s` skips it.',
  },
  invalidationConcurrency: {
    env: 'INVALIDATION_CONCURRENCY',
    type: wholeNumber(1, 1024),
    default: '32',
    description: 'Writes a realm- or user-wide invalidation keeps in flight.',
  },
  invalidationPageSize: {
    env: 'INVALIDATION_PAGE_SIZE',
    type: wholeNumber(1, 1000),
    default: '100',
    description: 'Pairs read per index query of a realm- or user-wide invalidation.',
  },
  revocationEventBus: {
    env: 'REVOCATION_EVENT_BUS',
    context: 'revocationEventBus',
    type: text,
    defaultText: "none: no events (`npm start`); `default`, the account's default bus (deployed)",
    deployed: 'context',
    description:
      'EventBridge bus (name or ARN) every invalidation is announced on ([revocation events](token-authorizer.md#revocation-events)); an empty value announces nothing.',
  },
  functionName: {
    env: 'AWS_LAMBDA_FUNCTION_NAME',
    type: text,
    deployed: 'lambda',
    description: 'Set inside Lambda: a function continues a sweep by invoking itself.',
  },
  tokensTable: tableName('TOKENS_TABLE', 'es-tokens', 'tokens'),
  usersTable: {
    ...tableName('USERS_TABLE', 'es-users', 'users'),
    description: 'Name of the users table (the native realm); also where `npm run users` writes.',
  },
  rolesTable: tableName('ROLES_TABLE', 'es-roles', 'native roles (role API)'),
  roleMappingsTable: tableName('ROLE_MAPPINGS_TABLE', 'es-role-mappings', 'role mappings'),
  dynamodbEndpoint: {
    env: 'DYNAMODB_ENDPOINT',
    type: text,
    deployed: 'samLocal',
    description:
      "Use this DynamoDB (DynamoDB Local, `sam local`) instead of the SDK's default; for `npm start`, instead of starting DynamoDB Local.",
  },
  region: {
    env: 'AWS_REGION',
    envFallback: 'AWS_DEFAULT_REGION',
    type: text,
    default: 'us-east-1',
    deployed: 'lambda',
    description: 'Region of the DynamoDB and Secrets Manager clients (`AWS_DEFAULT_REGION` when `AWS_REGION` is unset).',
  },
  elasticPassword: {
    env: 'ELASTIC_PASSWORD',
    type: text,
    defaultText: 'generated (`npm start`), none (Lambda)',
    deployed: 'samLocal',
    description: 'Password of `elastic` (the Elasticsearch container convention).',
  },
  elasticPasswordSecretArn: {
    env: 'ELASTIC_PASSWORD_SECRET_ARN',
    type: text,
    defaultText: "none (local), the stack's secret (Lambda)",
    deployed: 'stack',
    description:
      'Secrets Manager secret holding the `elastic` password; wins over `ELASTIC_PASSWORD`. Read at the first Basic authentication of `elastic`, then again after `ELASTIC_PASSWORD_MAX_AGE`.',
  },
  elasticPasswordMaxAgeMs: {
    env: 'ELASTIC_PASSWORD_MAX_AGE',
    context: 'elasticPasswordMaxAge',
    type: timeValue({ maxMs: 3_600_000 }),
    default: '5m',
    deployed: 'context',
    description:
      'How long the password read from the secret is used before it is read again, so a changed one takes effect (see [rotation](operations.md#rotating-the-elastic-password)).',
  },
  fileRealmPath: {
    env: 'ES_PATH_CONF',
    type: text,
    defaultText: 'none; `/opt/es-config` (Lambda, with `-c esPathConf`)',
    deployed: 'configDirectory',
    description:
      "Config directory of the file realm's `users`, `users_roles` and `roles.yml`, and of `elasticsearch.yml` and the files its realms name.",
  },
  realmSettingsJson: {
    env: 'ES_SETTINGS',
    type: text,
    description:
      "The realm settings as JSON, in place of `$ES_PATH_CONF/elasticsearch.yml`. A deployed function reads those of the `elasticsearch.yml` given to `cdk synth -c esPathConf=DIR` from the config directory's layer, parsed at synth.",
  },
  secureSettingsPath: {
    env: 'ES_SECURE_SETTINGS',
    type: text,
    description:
      "JSON file of secure settings (Elasticsearch's keystore), e.g. an OpenID Connect realm's `rp.client_secret`; see [single sign-on](single-sign-on.md).",
  },
  secureSettingsSecretArn: {
    env: 'ES_SECURE_SETTINGS_SECRET_ARN',
    type: text,
    defaultText: 'none; set by the stack (Lambda, with SSO realms)',
    deployed: 'configDirectory',
    description: 'Secrets Manager secret of the secure settings (deployed), a JSON object of setting name to value.',
  },
  auditSettingsJson: {
    env: 'ES_AUDIT_SETTINGS',
    type: text,
    defaultText: 'none; set by the stack (Lambda, with `-c auditEnabled=true` or an audit setting in `esPathConf`)',
    description:
      'The audit settings (`xpack.security.audit.*`) as a JSON object of setting name to value; they win over those of `$ES_PATH_CONF/elasticsearch.yml`. See [the audit log](operations.md#audit-log).',
  },
  auditOutput: {
    env: 'AUDIT_OUTPUT',
    type: textLike(/^(file|stdout)$/, '`file` or `stdout`'),
    defaultText:
      '`file` with a config directory (`$ES_PATH_CONF/logs/<cluster.name>_audit.json`), else `stdout`; `stdout` in Lambda',
    description: 'Where the audit log goes when `xpack.security.audit.enabled` is true.',
  },
} as const satisfies Record<string, Setting>;

/** Runtime settings read by others than `loadConfig`: the local API, Powertools, Node.js. */
export const PROCESS_SETTINGS = {
  port: {
    env: 'PORT',
    type: wholeNumber(0, 65_535),
    default: '9200',
    description: 'Port the local API (`npm start`) listens on; `0` takes a free one.',
  },
  host: { env: 'HOST', type: text, default: '127.0.0.1', description: 'Address the local API listens on.' },
  powertoolsServiceName: {
    env: 'POWERTOOLS_SERVICE_NAME',
    type: text,
    default: 'es-token-service',
    deployed: 'stack',
    description: 'Service name of the logs and the `service` dimension of the metrics; the stack adds a stage other than `prod`.',
  },
  powertoolsMetricsNamespace: {
    env: 'POWERTOOLS_METRICS_NAMESPACE',
    type: text,
    default: 'EsTokenService',
    deployed: 'stack',
    description: 'CloudWatch namespace of the metrics.',
  },
  powertoolsLogLevel: {
    env: 'POWERTOOLS_LOG_LEVEL',
    type: text,
    default: 'INFO',
    deployed: 'stack',
    description: 'Level of the JSON request log (it never holds a token or a password).',
  },
  powertoolsTraceEnabled: {
    env: 'POWERTOOLS_TRACE_ENABLED',
    type: flag,
    default: 'false',
    deployed: 'stack',
    description:
      'X-Ray tracing through Powertools Tracer; the stack sets it from `-c tracing` (it is off outside Lambda regardless).',
  },
  powertoolsMetricsDisabled: {
    env: 'POWERTOOLS_METRICS_DISABLED',
    type: flag,
    defaultText: '`true` outside Lambda',
    description: 'CloudWatch metrics (EMF lines on stdout); on in Lambda and `sam local`.',
  },
  authorizerRoles: {
    env: 'AUTHORIZER_ROLES',
    type: text,
    defaultText: 'none',
    description:
      'The [token authorizer](token-authorizer.md) only (its `anyRole` prop): comma-separated roles, one of which a caller must hold.',
  },
  authorizerPrivileges: {
    env: 'AUTHORIZER_PRIVILEGES',
    type: text,
    defaultText: 'none',
    description:
      "The [token authorizer](token-authorizer.md) only (its `anyPrivilege` prop): comma-separated predefined cluster privileges, one of which a caller's roles must grant (`all` always does).",
  },
  nodeOptions: {
    env: 'NODE_OPTIONS',
    type: text,
    defaultText: '`--enable-source-maps` (Lambda)',
    deployed: 'stack',
    description: 'Node.js options: the deployed functions map stack traces of their minified bundle to the source.',
  },
} as const satisfies Record<string, Setting>;

/** The one table: every setting, runtime and deploy-time, in the order of the docs. */
export const SETTINGS = { ...CONFIG_SETTINGS, ...PROCESS_SETTINGS, ...DEPLOY_SETTINGS } as const;
export type SettingId = keyof typeof SETTINGS;
