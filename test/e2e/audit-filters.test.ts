import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { USERS, writeFileRealm } from '../support/file-realm';
import { call, startTestApi, type TestApi } from '../support/test-api';

const PREFIX = 'xpack.security.audit.';
const auditSettings = (settings: Record<string, unknown>) => ({
  ES_AUDIT_SETTINGS: JSON.stringify({ [`${PREFIX}enabled`]: 'true', ...settings }),
});

type Line = Record<string, unknown>;

function auditLines(api: TestApi, clusterName = 'elasticsearch'): Line[] {
  const path = join(api.service.config.fileRealmPath as string, 'logs', `${clusterName}_audit.json`);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/** The events of the lines, as `action by user`, for short assertions. */
const described = (lines: Line[]) =>
  lines.map((line) => `${line['event.action']} ${line['user.name'] ?? ''} ${line.action ?? ''}`.trim());

describe('which events the audit log holds', () => {
  it('AUDIT-1: off by default: no audit log is written', async () => {
    const api = await startTestApi();
    try {
      await call(api, 'GET', '/_security/_authenticate', { auth: USERS.elastic });
      expect(api.service.audit).toBeUndefined();
      expect(existsSync(join(api.service.config.fileRealmPath as string, 'logs'))).toBe(false);
    } finally {
      await api.close();
    }
  });

  it("AUDIT-7: by default Elasticsearch's includes: no authentication_success and no realm_authentication_failed", async () => {
    const api = await startTestApi(auditSettings({}));
    try {
      await call(api, 'GET', '/_security/_authenticate', { auth: USERS.reader });
      await call(api, 'GET', '/_security/_authenticate', { auth: { username: 'reader', password: 'wrong-password' } });
      expect(described(auditLines(api))).toEqual([
        'access_granted reader cluster:admin/xpack/security/user/authenticate',
        'authentication_failed reader',
      ]);
    } finally {
      await api.close();
    }
  });

  it('AUDIT-7: events.include names the events; events.exclude takes some away; an unknown name refuses the start', async () => {
    const api = await startTestApi(
      auditSettings({
        [`${PREFIX}logfile.events.include`]: ['authentication_success', 'access_granted', 'anonymous_access_denied'],
        [`${PREFIX}logfile.events.exclude`]: 'access_granted',
      }),
    );
    try {
      await call(api, 'GET', '/_security/_authenticate', { auth: USERS.reader });
      await call(api, 'GET', '/_security/_authenticate');
      await call(api, 'GET', '/_security/_authenticate', { auth: { username: 'reader', password: 'wrong-password' } });
      expect(described(auditLines(api))).toEqual(['authentication_success reader', 'anonymous_access_denied']);
    } finally {
      await api.close();
    }
    await expect(startTestApi(auditSettings({ [`${PREFIX}logfile.events.include`]: 'access_granted,login' }))).rejects.toThrow(
      /invalid event type specified \[login\]/,
    );
  });

  it('AUDIT-8, AUDIT-5: ignore_filters policies leave out the events all of whose fields match one policy; security changes stay', async () => {
    const api = await startTestApi(
      auditSettings({
        [`${PREFIX}logfile.events.include`]: ['access_granted', 'access_denied', 'security_config_change'],
        // Every event of the file realm's superuser.
        [`${PREFIX}logfile.events.ignore_filters.admins.users`]: ['file_*'],
        // elastic's authenticate calls, and only those.
        [`${PREFIX}logfile.events.ignore_filters.whoami.realms`]: ['reserved'],
        [`${PREFIX}logfile.events.ignore_filters.whoami.actions`]: ['cluster:admin/xpack/security/user/authenticate'],
        // Events whose every role is `monitoring`.
        [`${PREFIX}logfile.events.ignore_filters.monitors.roles`]: ['monitoring'],
      }),
    );
    try {
      await call(api, 'GET', '/_security/_authenticate', { auth: USERS.admin });
      await call(api, 'PUT', '/_security/user/audited', { auth: USERS.admin, body: { password: 'audited-password', roles: [] } });
      await call(api, 'GET', '/_security/_authenticate', { auth: USERS.elastic });
      await call(api, 'DELETE', '/_security/user/audited', { auth: USERS.elastic });
      await call(api, 'PUT', '/_security/user/refused', {
        auth: USERS.reader,
        body: { password: 'refused-password', roles: [] },
      });
      await call(api, 'GET', '/_security/_authenticate', { auth: USERS.tokenClient });
      expect(described(auditLines(api))).toEqual([
        'put_user',
        'access_granted elastic cluster:admin/xpack/security/user/delete',
        'delete_user',
        'access_granted token_client cluster:admin/xpack/security/user/authenticate',
      ]);
    } finally {
      await api.close();
    }
  });

  it("AUDIT-8: an empty pattern matches only an event that lacks the field (anonymous_access_denied's user)", async () => {
    const api = await startTestApi(auditSettings({ [`${PREFIX}logfile.events.ignore_filters.anonymous.users`]: [''] }));
    try {
      await call(api, 'GET', '/_security/_authenticate');
      await call(api, 'GET', '/_security/_authenticate', { auth: USERS.reader });
      expect(described(auditLines(api))).toEqual(['access_granted reader cluster:admin/xpack/security/user/authenticate']);
    } finally {
      await api.close();
    }
  });

  it('AUDIT-9: emit_request_body refuses the start: the bodies carry passwords and tokens; false is accepted', async () => {
    await expect(startTestApi(auditSettings({ [`${PREFIX}logfile.events.emit_request_body`]: 'true' }))).rejects.toThrow(
      /emit_request_body\] is not supported/,
    );
    const api = await startTestApi(auditSettings({ [`${PREFIX}logfile.events.emit_request_body`]: 'false' }));
    await api.close();
  });

  it("AUDIT-1: enabled in elasticsearch.yml, the log is the config directory's logs/<cluster.name>_audit.json", async () => {
    const directory = await writeFileRealm();
    writeFileSync(
      join(directory, 'elasticsearch.yml'),
      [
        'cluster.name: audited-cluster',
        'xpack.security.audit:',
        '  enabled: true',
        '  logfile.events.exclude: [access_granted]',
        '',
      ].join('\n'),
    );
    const api = await startTestApi({ ES_PATH_CONF: directory });
    try {
      await call(api, 'GET', '/_security/_authenticate', { auth: USERS.reader });
      await call(api, 'GET', '/_security/_authenticate');
      expect(described(auditLines(api, 'audited-cluster'))).toEqual(['anonymous_access_denied']);
    } finally {
      await api.close();
    }
  });

  it('AUDIT-1: AUDIT_OUTPUT=stdout writes each event as one line on stdout', async () => {
    const api = await startTestApi({ ...auditSettings({}), AUDIT_OUTPUT: 'stdout' });
    const written: string[] = [];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await call(api, 'GET', '/_security/_authenticate');
    } finally {
      stdout.mockRestore();
      await api.close();
    }
    const lines = written.filter((chunk) => chunk.startsWith('{"type":"audit"'));
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('}\n')).toBe(true);
    expect(JSON.parse(lines[0] as string)['event.action']).toBe('anonymous_access_denied');
    expect(auditLines(api)).toEqual([]);
  });
});
