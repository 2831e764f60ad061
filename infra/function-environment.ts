import { loadConfig } from '../functions/config';
import type { Deployed, Setting } from '../functions/setting-types';
import { SETTINGS, type SettingId } from '../functions/settings';
import { DEPLOYED_ES_PATH_CONF } from './config-directory-layer';
import { TABLES, type TableId } from './tables';

/** Revocation events go to the account's default bus unless the stack is given another. */
export const DEFAULT_REVOCATION_EVENT_BUS = 'default';

/** What the stack knows when it builds its functions' environment. */
export interface FunctionEnvironmentInput {
  /** The stack's props for the settings deployed from context, in the shapes the stack takes them. */
  readonly settings: {
    readonly tokenTimeout?: string;
    readonly refreshTokenLifetime?: string;
    readonly revokeOnAccountChange?: boolean;
    readonly refreshReuseDetection?: boolean;
    readonly indexShards?: number;
    readonly invalidationBudgetMs?: number;
    readonly elasticPasswordMaxAge?: string;
    readonly tracing?: boolean;
    readonly esPathConf?: string;
    readonly samLocal?: boolean;
    readonly revocationEventBus?: string;
  };
  /** The stack's tables: their generated names go to the functions. */
  readonly tables: Readonly<Record<TableId, { readonly tableName: string }>>;
  readonly elasticPasswordSecretArn: string;
  /** The audit settings, as JSON, when the audit log is on (infra/audit-log.ts). */
  readonly auditSettingsJson?: string;
  readonly serviceName: string;
  readonly metricsNamespace: string;
}

type TableSettingId = 'tokensTable' | 'usersTable' | 'rolesTable' | 'roleMappingsTable';

type DeployedBy<D extends Deployed> = {
  [K in SettingId]: (typeof SETTINGS)[K] extends { readonly deployed: D } ? K : never;
}[SettingId];

/** The value of each setting the stack sets; the types make a new one in the table fail here until it is given. */
function stackValues({ settings, ...input }: FunctionEnvironmentInput) {
  const fromContext: Record<DeployedBy<'context'>, string | undefined> = {
    accessTokenTimeoutMs: settings.tokenTimeout,
    refreshTokenLifetimeMs: settings.refreshTokenLifetime,
    revokeOnAccountChange: settings.revokeOnAccountChange?.toString(),
    refreshReuseDetection: settings.refreshReuseDetection?.toString(),
    indexShards: settings.indexShards?.toString(),
    invalidationBudgetMs: settings.invalidationBudgetMs === undefined ? undefined : `${settings.invalidationBudgetMs}ms`,
    elasticPasswordMaxAgeMs: settings.elasticPasswordMaxAge,
    // The account's default bus unless the stack is given another; an empty name announces nothing.
    revocationEventBus: settings.revocationEventBus ?? DEFAULT_REVOCATION_EVENT_BUS,
  };
  // The tables' variables are TABLES' own (added below); test/infra/function-environment.test.ts holds them to the table.
  const fromStack: Record<Exclude<DeployedBy<'stack'>, TableSettingId>, string> = {
    // The secret's ARN, never the password: each function reads it, and again after its maximum age.
    elasticPasswordSecretArn: input.elasticPasswordSecretArn,
    powertoolsServiceName: input.serviceName,
    powertoolsMetricsNamespace: input.metricsNamespace,
    powertoolsLogLevel: SETTINGS.powertoolsLogLevel.default,
    powertoolsTraceEnabled: String(settings.tracing ?? false),
    nodeOptions: '--enable-source-maps',
  };
  // Only with the audit log on (infra/audit-log.ts): a function without it builds no audit trail.
  const forAudit: Partial<Record<'auditSettingsJson', string>> =
    input.auditSettingsJson === undefined ? {} : { auditSettingsJson: input.auditSettingsJson };
  // The secure settings' secret comes with the SSO realms (infra/sso-settings.ts); their settings travel in the layer.
  const fromConfigDirectory: Partial<Record<DeployedBy<'configDirectory'>, string>> = {
    ...(settings.esPathConf !== undefined && { fileRealmPath: DEPLOYED_ES_PATH_CONF }),
  };
  // Declared empty: sam only overrides the variables a template declares.
  const forSamLocal: Partial<Record<DeployedBy<'samLocal'>, string>> = settings.samLocal
    ? { dynamodbEndpoint: '', elasticPassword: '' }
    : {};
  return { ...fromContext, ...fromStack, ...fromConfigDirectory, ...forSamLocal, ...forAudit } as Partial<
    Record<SettingId, string>
  >;
}

/**
 * The settings every function reads at its cold start (functions/config.ts), named by the table's variables, and
 * validated here by the same loader: a value a function would refuse at its cold start fails the synth instead,
 * with the same message.
 */
export function functionEnvironment(input: FunctionEnvironmentInput): Record<string, string> {
  const values = stackValues(input);
  const environment: Record<string, string> = Object.fromEntries(
    Object.entries(TABLES).map(([tableId, { nameVariable }]) => [nameVariable, input.tables[tableId as TableId].tableName]),
  );
  for (const [id, setting] of Object.entries(SETTINGS) as [SettingId, Setting][]) {
    const value = values[id] ?? (setting.deployed === 'context' ? setting.default : undefined);
    if (setting.env !== undefined && value !== undefined) environment[setting.env] = value;
  }
  loadConfig(environment);
  return environment;
}
