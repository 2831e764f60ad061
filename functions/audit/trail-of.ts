import type { Clock } from '../clock';
import type { Config } from '../config';
import { settingsFromJson } from '../security/authc/realm-settings/settings-file';
import { AUDIT_PREFIX, parseAuditSettings, type SettingsMap } from './audit-settings';
import { type AuditSink, AuditTrail } from './audit-trail';
import { auditLogPath, fileSink, stdoutSink } from './sinks';

type AuditConfig = Partial<Pick<Config, 'auditSettingsJson' | 'auditOutput' | 'fileRealmPath' | 'functionName'>>;

/**
 * The audit settings in force: those of `elasticsearch.yml` (read by the local service), then those the stack
 * hands a deployed function (ES_AUDIT_SETTINGS), which win key by key.
 */
function auditSettingsOf(config: AuditConfig, fromYaml: SettingsMap): SettingsMap {
  const settings = new Map([...fromYaml].filter(([key]) => key.startsWith(AUDIT_PREFIX)));
  if (config.auditSettingsJson !== undefined) {
    for (const [key, value] of settingsFromJson(config.auditSettingsJson)) settings.set(key, value);
  }
  return settings;
}

function sinkOf(config: AuditConfig, clusterName: string): AuditSink {
  const toFile = config.auditOutput === 'file' || (config.auditOutput === undefined && config.functionName === undefined);
  if (!toFile || config.fileRealmPath === undefined) return stdoutSink;
  return fileSink(auditLogPath(config.fileRealmPath, clusterName));
}

/**
 * The service's audit trail, or none when `xpack.security.audit.enabled` is not true (Elasticsearch's default):
 * then no request pays for it beyond one test. Settings out of range refuse the start, as Elasticsearch's do.
 */
export function auditTrailOf(config: AuditConfig, fromYaml: SettingsMap, clock: Clock): AuditTrail | undefined {
  const settings = parseAuditSettings(auditSettingsOf(config, fromYaml));
  if (!settings.enabled) return undefined;
  const clusterName = fromYaml.get('cluster.name');
  return new AuditTrail(settings, sinkOf(config, typeof clusterName === 'string' ? clusterName : 'elasticsearch'), clock);
}
