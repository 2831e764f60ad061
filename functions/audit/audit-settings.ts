import { ConfigurationError } from '../setting-types';
import { type FilterPolicy, filterPolicy, POLICY_FIELDS, type PolicyField } from './event-filter';

/**
 * The audit settings of `elasticsearch.yml` (Elasticsearch's LoggingAuditTrail settings), read from a map of
 * setting name to value: `xpack.security.audit.enabled`, the `logfile.events.include` / `exclude` lists, the
 * `ignore_filters.<policy>.*` policies, and `emit_request_body`, which is refused (see differences.md).
 */
export const AUDIT_PREFIX = 'xpack.security.audit.';
const LOGFILE = `${AUDIT_PREFIX}logfile.`;
const EVENTS = `${LOGFILE}events.`;
const IGNORE_FILTERS = `${EVENTS}ignore_filters.`;

/** Elasticsearch's AuditLevel names. The connection and system events exist there; nothing here produces them. */
const AUDIT_LEVELS = [
  'anonymous_access_denied',
  'authentication_failed',
  'realm_authentication_failed',
  'access_granted',
  'access_denied',
  'tampered_request',
  'connection_granted',
  'connection_denied',
  'system_access_granted',
  'authentication_success',
  'run_as_granted',
  'run_as_denied',
  'security_config_change',
] as const;
export type AuditLevel = (typeof AUDIT_LEVELS)[number];

/** LoggingAuditTrail.DEFAULT_EVENT_INCLUDES: authentication_success and realm_authentication_failed are left out. */
const DEFAULT_INCLUDES: readonly AuditLevel[] = [
  'access_denied',
  'access_granted',
  'anonymous_access_denied',
  'authentication_failed',
  'connection_denied',
  'tampered_request',
  'run_as_denied',
  'run_as_granted',
  'security_config_change',
];

export interface AuditSettings {
  readonly enabled: boolean;
  readonly events: ReadonlySet<AuditLevel>;
  readonly policies: readonly FilterPolicy[];
  /** `logfile.emit_node_id` (default true, as in Elasticsearch). */
  readonly emitNodeId: boolean;
}

export type SettingsMap = ReadonlyMap<string, string | readonly string[]>;

/** A list setting, as Elasticsearch reads one: a list, or a comma-separated string. */
function listOf(value: string | readonly string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = typeof value === 'string' ? value.split(',') : [...value];
  return items.map((item) => item.trim()).filter((item) => item !== '' || typeof value !== 'string');
}

function booleanOf(settings: SettingsMap, key: string, fallback: boolean): boolean {
  const value = settings.get(key);
  if (value === undefined) return fallback;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new ConfigurationError(`Failed to parse value [${String(value)}] as only [true] or [false] are allowed for [${key}]`);
}

/** AuditLevel.parse: `_all` is every level; any other name must be one of them. */
function levelsOf(names: readonly string[], key: string): Set<AuditLevel> {
  if (names.includes('_all')) return new Set(AUDIT_LEVELS);
  return new Set(
    names.map((name) => {
      const level = AUDIT_LEVELS.find((known) => known === name.toLowerCase());
      if (level === undefined) {
        throw new ConfigurationError(
          `invalid event type specified [${name}] in [${key}], allowed values [${AUDIT_LEVELS.join(', ')}]`,
        );
      }
      return level;
    }),
  );
}

function policiesOf(settings: SettingsMap): FilterPolicy[] {
  const byName = new Map<string, Partial<Record<PolicyField, string[]>>>();
  for (const [key, value] of settings) {
    if (!key.startsWith(IGNORE_FILTERS)) continue;
    const [name, field, ...rest] = key.slice(IGNORE_FILTERS.length).split('.');
    if (name === undefined || name === '' || rest.length > 0 || !POLICY_FIELDS.includes(field as PolicyField)) {
      throw new ConfigurationError(`unknown setting [${key}]: a policy filters by ${POLICY_FIELDS.join(', ')}`);
    }
    byName.set(name, { ...byName.get(name), [field as PolicyField]: listOf(value) ?? [] });
  }
  return [...byName].map(([name, fields]) => filterPolicy(name, fields));
}

/** Every `xpack.security.audit.*` key this service reads; the `logfile.emit_*` node fields are accepted and ignored. */
function assertKnown(settings: SettingsMap): void {
  const known = new Set([`${AUDIT_PREFIX}enabled`, `${EVENTS}include`, `${EVENTS}exclude`, `${EVENTS}emit_request_body`]);
  for (const key of settings.keys()) {
    if (!key.startsWith(AUDIT_PREFIX) || known.has(key) || key.startsWith(IGNORE_FILTERS)) continue;
    if (/^xpack\.security\.audit\.logfile\.emit_[a-z_]+$/.test(key)) continue;
    throw new ConfigurationError(`unknown setting [${key}]`);
  }
}

/** The audit settings among `settings` (every other key is someone else's). */
export function parseAuditSettings(settings: SettingsMap): AuditSettings {
  assertKnown(settings);
  if (booleanOf(settings, `${EVENTS}emit_request_body`, false)) {
    throw new ConfigurationError(
      `[${EVENTS}emit_request_body] is not supported: the bodies of this service's APIs carry passwords and tokens, which the audit log never holds`,
    );
  }
  const include = levelsOf(listOf(settings.get(`${EVENTS}include`)) ?? DEFAULT_INCLUDES, `${EVENTS}include`);
  for (const level of levelsOf(listOf(settings.get(`${EVENTS}exclude`)) ?? [], `${EVENTS}exclude`)) include.delete(level);
  return {
    enabled: booleanOf(settings, `${AUDIT_PREFIX}enabled`, false),
    events: include,
    policies: policiesOf(settings),
    emitNodeId: booleanOf(settings, `${LOGFILE}emit_node_id`, true),
  };
}
