import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { digestsOf } from '../../functions/tokens/scope-digest';
import { decodeToken, encodeToken } from '../../functions/tokens/token-string';
import { type DocumentedEvent, documented } from '../support/audit-examples';
import { USERS } from '../support/file-realm';
import { type Auth, call, startTestApi, type TestApi } from '../support/test-api';

/** Everything the audit trail writes, with the fields of Elasticsearch's layout (test/support/audit-examples.ts). */
const ALL_EVENTS = { 'xpack.security.audit.enabled': 'true', 'xpack.security.audit.logfile.events.include': '_all' };
const auditSettings = (settings: Record<string, unknown>) => ({ ES_AUDIT_SETTINGS: JSON.stringify(settings) });

type Line = Record<string, unknown>;

/** The audit log of an API, read from where the last read stopped. */
class AuditLog {
  private offset = 0;
  constructor(readonly path: string) {}

  static of(api: TestApi, clusterName = 'elasticsearch'): AuditLog {
    return new AuditLog(join(api.service.config.fileRealmPath as string, 'logs', `${clusterName}_audit.json`));
  }

  text(): string {
    return existsSync(this.path) ? readFileSync(this.path, 'utf8') : '';
  }

  /** The lines written since the last call. */
  next(): Line[] {
    const text = this.text();
    const fresh = text.slice(this.offset);
    this.offset = text.length;
    return fresh
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  }
}

/** The request, then the audit lines it wrote. */
async function audited(log: AuditLog, ...request: Parameters<typeof call>): Promise<Line[]> {
  log.next();
  await call(...request);
  return log.next();
}

const actions = (lines: Line[]) => lines.map((line) => line['event.action']);
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d,\d{3}\+0000$/;

/**
 * AUDIT-2: the documentation's example line of the event, field by field: the same names in the same order and
 * the same kind of value. `indices` is left out: no request of this service names indices.
 */
function expectDocumentedShape(line: Line | undefined, event: DocumentedEvent): void {
  const example = documented(event);
  delete example.indices;
  expect(line).toBeDefined();
  expect(Object.keys(line as Line)).toEqual(Object.keys(example));
  for (const [key, value] of Object.entries(example)) {
    expect([key, Array.isArray((line as Line)[key]), typeof (line as Line)[key]]).toEqual([
      key,
      Array.isArray(value),
      typeof value,
    ]);
  }
  expect((line as Line)['event.type']).toBe(example['event.type']);
  expect((line as Line)['event.action']).toBe(example['event.action']);
  expect((line as Line).timestamp).toMatch(TIMESTAMP);
}

/** A security change's object, as the documentation's example holds it. */
const changeOf = (event: DocumentedEvent) => {
  const example = documented(event);
  return example.put ?? example.change ?? example.delete;
};

describe('the audit log, as Elasticsearch writes it', () => {
  let api: TestApi;
  let log: AuditLog;
  const elastic: Auth = USERS.elastic;

  beforeAll(async () => {
    api = await startTestApi(auditSettings(ALL_EVENTS));
    log = AuditLog.of(api);
  });
  afterAll(() => api.close());

  it('AUDIT-3: authentication_success, then access_granted, with one request id', async () => {
    const lines = await audited(log, api, 'GET', '/_security/_authenticate?pretty', { auth: elastic });
    expect(actions(lines)).toEqual(['authentication_success', 'access_granted']);
    const [success, granted] = lines;
    expectDocumentedShape(success, 'authentication_success');
    expect(success).toMatchObject({
      'authentication.type': 'REALM',
      'user.name': 'elastic',
      'user.realm': 'reserved',
      realm: 'reserved',
      'origin.type': 'rest',
      'url.path': '/_security/_authenticate',
      'url.query': 'pretty',
      'request.method': 'GET',
    });
    expectDocumentedShape(granted, 'access_granted');
    expect(granted).toMatchObject({
      'user.name': 'elastic',
      'user.roles': ['superuser'],
      action: 'cluster:admin/xpack/security/user/authenticate',
      'request.name': 'AuthenticateRequest',
    });
    expect(granted?.['request.id']).toBe(success?.['request.id']);
    expect(granted?.['node.id']).toBe(success?.['node.id']);
  });

  it('AUDIT-3: a wrong password: realm_authentication_failed for each realm tried, then authentication_failed', async () => {
    const wrong = { username: 'token_client', password: 'not-the-password' };
    const lines = await audited(log, api, 'POST', '/_security/user/user1?pretty', { auth: wrong, body: {} });
    expect(actions(lines)).toEqual([
      'realm_authentication_failed',
      'realm_authentication_failed',
      'realm_authentication_failed',
      'authentication_failed',
    ]);
    expect(lines.slice(0, 3).map((line) => line.realm)).toEqual(['reserved', 'default_file', 'default_native']);
    expectDocumentedShape(lines[0], 'realm_authentication_failed');
    expectDocumentedShape(lines[3], 'authentication_failed');
    expect(lines[3]).toMatchObject({
      'user.name': 'token_client',
      'url.path': '/_security/user/user1',
      'request.method': 'POST',
    });
    // The reserved realm owns `elastic`: a wrong password for it is refused there, and no other realm is tried.
    const elasticLines = await audited(log, api, 'GET', '/_security/_authenticate', {
      auth: { username: 'elastic', password: 'wrong-password' },
    });
    expect(elasticLines.map((line) => [line['event.action'], line.realm])).toEqual([
      ['realm_authentication_failed', 'reserved'],
      ['authentication_failed', undefined],
    ]);
  });

  it('AUDIT-3: no credentials is anonymous_access_denied; a token nobody issued is authentication_failed as `_bearer_token`', async () => {
    const anonymous = await audited(log, api, 'POST', '/_security/user/user1?pretty', { body: {} });
    expect(actions(anonymous)).toEqual(['anonymous_access_denied']);
    expectDocumentedShape(anonymous[0], 'anonymous_access_denied');
    const unknown = await audited(log, api, 'GET', '/_security/_authenticate?pretty', { auth: { bearer: 'not-a-token' } });
    expect(unknown).toEqual([expect.objectContaining({ 'event.action': 'authentication_failed', 'user.name': '_bearer_token' })]);
  });

  it('AUDIT-3: a token whose parts were changed after it was issued is tampered_request, answered as any invalid token', async () => {
    const issued = await call(api, 'POST', '/_security/oauth2/token', {
      auth: USERS.tokenClient,
      body: { grant_type: 'client_credentials' },
    });
    const parts = decodeToken(issued.body.access_token);
    if (parts === undefined) throw new Error('the service issued a token it cannot read');
    const elsewhere = encodeToken(
      'access',
      parts.pairId,
      parts.secret,
      parts.soleHalf,
      digestsOf({ realm: 'reserved', username: 'elastic' }),
    );
    log.next();
    const response = await call(api, 'GET', '/_security/_authenticate?pretty', { auth: { bearer: elsewhere } });
    const invalid = await call(api, 'GET', '/_security/_authenticate?pretty', { auth: { bearer: 'not-a-token' } });
    expect([response.status, response.body]).toEqual([invalid.status, invalid.body]);
    const [tampered] = log.next();
    // LoggingAuditTrail.tamperedRequest writes the REST origin (withRestOrigin), which the example line leaves out.
    const { 'origin.address': address, ...rest } = documented('tampered_request');
    expect(Object.keys(tampered as Line)).toEqual(
      Object.keys({ ...rest, 'origin.type': 'rest', 'origin.address': address }).sort(byLayout),
    );
    expect(tampered).toMatchObject({ 'event.type': 'rest', 'event.action': 'tampered_request', 'url.query': 'pretty' });
  });

  it('AUDIT-4: access_denied names the action, its request and the roles that did not grant it', async () => {
    const lines = await audited(log, api, 'PUT', '/_security/user/someone?pretty', {
      auth: USERS.reader,
      body: { password: 'someone-password', roles: [] },
    });
    // The reserved realm does not know `reader`: as Elasticsearch's RealmsAuthenticator, each realm tried and not
    // authenticating is audited, even when a later realm authenticates.
    expect(actions(lines)).toEqual(['realm_authentication_failed', 'authentication_success', 'access_denied']);
    expect(lines[0]).toMatchObject({ realm: 'reserved', 'user.name': 'reader' });
    expectDocumentedShape(lines[2], 'access_denied');
    expect(lines[2]).toMatchObject({
      'user.name': 'reader',
      'user.realm': 'default_file',
      'user.roles': ['monitoring'],
      action: 'cluster:admin/xpack/security/user/put',
      'request.name': 'PutUserRequest',
    });
  });

  it("AUDIT-4: run_as_granted names who authenticated and whom it runs as; the action is then the target's", async () => {
    const lines = await audited(log, api, 'GET', '/_security/_authenticate', {
      auth: elastic,
      headers: { 'es-security-runas-user': 'token_client' },
    });
    expect(actions(lines)).toEqual(['authentication_success', 'run_as_granted', 'access_granted']);
    expectDocumentedShape(lines[1], 'run_as_granted');
    expect(lines[1]).toMatchObject({
      'user.name': 'elastic',
      'user.run_as.name': 'token_client',
      'user.realm': 'reserved',
      'user.run_as.realm': 'default_file',
      'user.roles': ['superuser'],
    });
    expect(lines[2]).toMatchObject({
      'user.name': 'token_client',
      'user.run_by.name': 'elastic',
      'user.realm': 'default_file',
      'user.run_by.realm': 'reserved',
      'user.roles': ['token_manager', 'monitoring'],
    });
    expect(lines[0]).toMatchObject({ 'user.name': 'token_client', 'user.run_by.name': 'elastic', realm: 'reserved' });
  });

  it('AUDIT-4: run_as_denied, and no access event after it', async () => {
    const lines = await audited(log, api, 'GET', '/_security/_authenticate', {
      auth: USERS.reader,
      headers: { 'es-security-runas-user': 'token_client' },
    });
    expect(actions(lines)).toEqual(['realm_authentication_failed', 'authentication_success', 'run_as_denied']);
    expectDocumentedShape(lines[2], 'run_as_denied');
    expect(lines[2]).toMatchObject({ 'user.name': 'reader', 'user.run_as.name': 'token_client', 'user.roles': ['monitoring'] });
  });

  it("AUDIT-5: each user change is security_config_change with the documentation's object, and never a password", async () => {
    const user1 = {
      password: 'user1-secret-password',
      enabled: false,
      roles: ['admin', 'other_role1'],
      full_name: 'Jack Sparrow',
      email: 'jack@blackpearl.com',
      metadata: { cunning: 10 },
    };
    const steps: [DocumentedEvent, string, string, unknown][] = [
      ['put_user', 'PUT', '/_security/user/user1', user1],
      ['change_password', 'POST', '/_security/user/user1/_password', { password: 'user1-other-password' }],
      ['change_enable_user', 'PUT', '/_security/user/user1/_enable', undefined],
      ['change_disable_user', 'PUT', '/_security/user/user1/_disable', undefined],
    ];
    for (const [event, method, path, body] of steps) {
      const lines = await audited(log, api, method, path, { auth: elastic, body });
      expect(actions(lines)).toEqual(['authentication_success', 'access_granted', event]);
      expectDocumentedShape(lines[2], event);
      expect({ event, change: lines[2]?.put ?? lines[2]?.change }).toEqual({ event, change: changeOf(event) });
    }
    await call(api, 'PUT', '/_security/user/jacknich', { auth: elastic, body: { password: 'jacknich-password', roles: [] } });
    const deleted = await audited(log, api, 'DELETE', '/_security/user/jacknich', { auth: elastic });
    expectDocumentedShape(deleted[2], 'delete_user');
    expect(deleted[2]?.delete).toEqual(changeOf('delete_user'));
    expect(log.text()).not.toContain('user1-secret-password');
    expect(log.text()).not.toContain('user1-other-password');
  });

  it("AUDIT-5: role and role-mapping changes carry the documentation's objects", async () => {
    const mapping = { roles: ['user'], rules: { field: { username: '*' } }, enabled: true, metadata: { version: 1 } };
    const putMapping = await audited(log, api, 'PUT', '/_security/role_mapping/mapping1', { auth: elastic, body: mapping });
    expectDocumentedShape(putMapping[2], 'put_role_mapping');
    expect(putMapping[2]?.put).toEqual(changeOf('put_role_mapping'));
    const deleteMapping = await audited(log, api, 'DELETE', '/_security/role_mapping/mapping1', { auth: elastic });
    expect(deleteMapping[2]?.delete).toEqual(changeOf('delete_role_mapping'));

    // The documentation's role: index privileges with field security and a query, as the role API takes them.
    const role = {
      cluster: ['all'],
      indices: [
        {
          names: ['apm*'],
          privileges: ['all'],
          field_security: { grant: ['granted'] },
          query: '{"term": {"service.name": "bar"}}',
        },
        { names: ['apm-all*'], privileges: ['all'], query: '{"term": {"service.name": "bar2"}}' },
      ],
    };
    const putRole = await audited(log, api, 'PUT', '/_security/role/test_role', { auth: elastic, body: role });
    expectDocumentedShape(putRole[2], 'put_role');
    expect(putRole[2]?.put).toEqual(changeOf('put_role'));
    await call(api, 'PUT', '/_security/role/my_admin_role', { auth: elastic, body: { cluster: ['all'] } });
    const deleteRole = await audited(log, api, 'DELETE', '/_security/role/my_admin_role', { auth: elastic });
    expectDocumentedShape(deleteRole[2], 'delete_role');
    expect(deleteRole[2]?.delete).toEqual(changeOf('delete_role'));
  });

  it('AUDIT-6: a token invalidation is security_config_change invalidate_tokens with its scope and counts, never the token', async () => {
    const issued = await call(api, 'POST', '/_security/oauth2/token', {
      auth: USERS.tokenClient,
      body: { grant_type: 'client_credentials' },
    });
    const one = await audited(log, api, 'DELETE', '/_security/oauth2/token', {
      auth: elastic,
      body: { token: issued.body.access_token },
    });
    expect(actions(one)).toEqual(['authentication_success', 'access_granted', 'invalidate_tokens']);
    expect(one[2]).toMatchObject({
      'event.type': 'security_config_change',
      invalidate: {
        tokens: { token_type: 'access_token', invalidated_tokens: 1, previously_invalidated_tokens: 0, error_count: 0 },
      },
    });
    log.next();
    const realmWide = await call(api, 'DELETE', '/_security/oauth2/token', {
      auth: elastic,
      body: { realm_name: 'default_file' },
    });
    const { invalidated_tokens, previously_invalidated_tokens, error_count } = realmWide.body;
    expect(invalidated_tokens).toBeGreaterThan(0);
    expect(log.next()[2]?.invalidate).toEqual({
      tokens: { realm_name: 'default_file', invalidated_tokens, previously_invalidated_tokens, error_count },
    });
    expect(log.text()).not.toContain(issued.body.access_token);
  });

  it('AUDIT-10: no line holds a password or a token the tests sent', () => {
    const text = log.text();
    for (const user of Object.values(USERS)) expect(text).not.toContain(user.password);
    for (const line of text.split('\n').filter(Boolean)) expect(line.startsWith('{"type":"audit", "timestamp":"')).toBe(true);
  });
});

/** The layout's order of the fields the tampered_request line has. */
const LAYOUT = [
  'type',
  'timestamp',
  'node.id',
  'event.type',
  'event.action',
  'origin.type',
  'origin.address',
  'url.path',
  'url.query',
  'request.method',
  'request.id',
];
const byLayout = (a: string, b: string) => LAYOUT.indexOf(a) - LAYOUT.indexOf(b);
