/**
 * One line of the audit log as Elasticsearch's log4j2 layout writes it (`appender.audit_rolling.layout.pattern`):
 * `{"type":"audit", "timestamp":"…"` then each field that has a value, in the layout's order, `, "name":value`.
 * Strings are JSON strings; `user.roles` and the config change objects are JSON values, as the layout writes them.
 */
const FIELD_ORDER = [
  'node.id',
  'event.type',
  'event.action',
  'authentication.type',
  'user.name',
  'user.run_by.name',
  'user.run_as.name',
  'user.realm',
  'user.run_by.realm',
  'user.run_as.realm',
  'user.roles',
  'origin.type',
  'origin.address',
  'realm',
  'url.path',
  'url.query',
  'request.method',
  'request.id',
  'action',
  'request.name',
  'opaque_id',
  'trace.id',
  'x_forwarded_for',
  'put',
  'delete',
  'change',
  'invalidate',
] as const;

type AuditField = (typeof FIELD_ORDER)[number];
export type AuditFields = Partial<Record<AuditField, string | readonly string[] | Readonly<Record<string, unknown>>>>;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The layout's `%d{yyyy-MM-dd'T'HH:mm:ss,SSSZ}`, in UTC (a function's clock is UTC). */
function auditTimestamp(epochMs: number): string {
  const d = new Date(epochMs);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())},${pad(d.getUTCMilliseconds(), 3)}`;
  return `${date}T${time}+0000`;
}

export function formatAuditEntry(epochMs: number, fields: AuditFields): string {
  let line = `{"type":"audit", "timestamp":"${auditTimestamp(epochMs)}"`;
  for (const name of FIELD_ORDER) {
    const value = fields[name];
    if (value === undefined || value === '') continue;
    line += `, "${name}":${JSON.stringify(value)}`;
  }
  return `${line}}`;
}
