import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAuditSettings } from '../../../functions/audit/audit-settings';
import { auditTrailOf } from '../../../functions/audit/trail-of';

const settings = (entries: Record<string, string | string[]>) => new Map(Object.entries(entries));
const ENABLED = { 'xpack.security.audit.enabled': 'true' };

describe('the audit settings, as Elasticsearch reads them (AUDIT-7)', () => {
  it('AUDIT-7: a list setting is a list or a comma-separated string; names are case-insensitive', () => {
    const parsed = parseAuditSettings(
      settings({ ...ENABLED, 'xpack.security.audit.logfile.events.include': 'ACCESS_DENIED, authentication_failed' }),
    );
    expect([...parsed.events].sort()).toEqual(['access_denied', 'authentication_failed']);
  });

  it('AUDIT-7: `_all` in exclude leaves nothing; a boolean other than true or false, or an unknown key, refuses the start', () => {
    expect(parseAuditSettings(settings({ ...ENABLED, 'xpack.security.audit.logfile.events.exclude': '_all' })).events.size).toBe(
      0,
    );
    expect(() => parseAuditSettings(settings({ 'xpack.security.audit.enabled': 'yes' }))).toThrow(
      'Failed to parse value [yes] as only [true] or [false] are allowed for [xpack.security.audit.enabled]',
    );
    expect(() => parseAuditSettings(settings({ 'xpack.security.audit.outputs': 'logfile' }))).toThrow(
      'unknown setting [xpack.security.audit.outputs]',
    );
    expect(() => parseAuditSettings(settings({ 'xpack.security.audit.logfile.events.ignore_filters.p.hosts': ['a'] }))).toThrow(
      /unknown setting .*a policy filters by users, realms, actions, roles, indices/,
    );
    expect(() =>
      parseAuditSettings(settings({ 'xpack.security.audit.logfile.events.ignore_filters.p.users': ['/unclosed'] })),
    ).toThrow(/ignore_filters\.p\.users: invalid pattern \[\/unclosed\]/);
  });

  it("AUDIT-1: the other settings of elasticsearch.yml are not the audit's; the emit_* node settings are accepted", () => {
    const parsed = parseAuditSettings(settings({ 'cluster.name': 'c', 'xpack.security.audit.logfile.emit_node_name': 'true' }));
    expect(parsed.enabled).toBe(false);
  });
});

describe('where the audit log goes (AUDIT-1)', () => {
  const configDirectory = () => mkdtempSync(join(tmpdir(), 'es-audit-'));
  const json = JSON.stringify(ENABLED);

  it('AUDIT-1: no trail at all when the audit log is off', () => {
    expect(auditTrailOf({ fileRealmPath: configDirectory() }, new Map(), Date.now)).toBeUndefined();
  });

  it('AUDIT-1: in Lambda, stdout, though a config directory (the layer) is there', () => {
    const trail = auditTrailOf(
      { auditSettingsJson: json, fileRealmPath: configDirectory(), functionName: 'EsTokenService-Authenticate' },
      new Map(),
      () => 0,
    );
    const written: string[] = [];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      trail
        ?.forRequest({ path: '/', query: '', method: 'GET', requestId: 'r', originAddress: '10.0.0.1' })
        .anonymousAccessDenied();
    } finally {
      stdout.mockRestore();
    }
    expect(written).toEqual([
      '{"type":"audit", "timestamp":"1970-01-01T00:00:00,000+0000", "node.id":' +
        `${JSON.stringify(JSON.parse(written[0] as string)['node.id'])}, "event.type":"rest", "event.action":"anonymous_access_denied", ` +
        '"origin.type":"rest", "origin.address":"10.0.0.1", "url.path":"/", "request.method":"GET", "request.id":"r"}\n',
    ]);
  });
});
