import { USERS } from '../support/file-realm';
import { esError, putNativeRole, putNativeUser, validationError } from '../support/native-users';
import { call, startTestApi, type TestApi } from '../support/test-api';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const ROLE = '/_security/role';

describe('PUT|POST /_security/role/{name}', () => {
  it('creates a role ({"role":{"created":true}}), then replaces it ({"created":false})', async () => {
    const body = {
      cluster: ['manage_token'],
      indices: [{ names: ['logs-*'], privileges: ['read'] }],
      metadata: { version: 1 },
      description: 'Issues tokens',
    };
    const created = await call(api, 'PUT', `${ROLE}/token_issuer`, { auth: USERS.elastic, body });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ role: { created: true } });
    const replaced = await call(api, 'POST', `${ROLE}/token_issuer`, { auth: USERS.elastic, body });
    expect(replaced.body).toEqual({ role: { created: false } });
  });

  it('the built-in superuser cannot be changed', async () => {
    const response = await call(api, 'PUT', `${ROLE}/superuser`, { auth: USERS.elastic, body: { cluster: ['monitor'] } });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(validationError('Role [superuser] is reserved and may not be used.'));
  });

  it('an unknown field is a 400 parse_exception', async () => {
    const response = await call(api, 'PUT', `${ROLE}/typo`, { auth: USERS.elastic, body: { clusters: ['all'] } });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(esError('parse_exception', 'failed to parse role [typo]. unexpected field [clusters]', 400));
  });

  it('a body that names a field twice is refused, not read as its last value (found by the fuzz)', async () => {
    const response = await call(api, 'PUT', `${ROLE}/twice`, {
      auth: USERS.elastic,
      rawBody: '{"cluster":["monitor"],"cluster":["all"]}',
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(esError('x_content_parse_exception', "[1:24] Duplicate field 'cluster'", 400));
    expect((await call(api, 'GET', `${ROLE}/twice`, { auth: USERS.elastic })).status).toBe(404);
  });

  it('a field named like an object property (constructor) is an unknown field (found by the fuzz)', async () => {
    const response = await call(api, 'PUT', `${ROLE}/proto`, { auth: USERS.elastic, rawBody: '{"constructor":[]}' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(
      esError('parse_exception', 'failed to parse role [proto]. unexpected field [constructor]', 400),
    );
  });

  it('ER-4: a body is required', async () => {
    const response = await call(api, 'PUT', `${ROLE}/empty`, { auth: USERS.elastic });
    expect(response.body).toEqual(esError('parse_exception', 'request body is required', 400));
  });

  it('ER-10: needs manage_security', async () => {
    const response = await call(api, 'PUT', `${ROLE}/sneaky`, { auth: USERS.tokenClient, body: { cluster: ['all'] } });
    expect(response.status).toBe(403);
    expect(response.body.error.reason).toMatch(
      /^action \[cluster:admin\/xpack\/security\/role\/put\] is unauthorized for user \[token_client\] .* granted by the cluster privileges \[manage_security,all\]$/,
    );
  });
});

describe('GET /_security/role[/{name}]', () => {
  beforeAll(async () => {
    await putNativeRole(api, 'shown', ['monitor']);
  });

  it("returns {name: role} with Elasticsearch's keys and defaults", async () => {
    const response = await call(api, 'GET', `${ROLE}/shown`, { auth: USERS.elastic });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      shown: {
        cluster: ['monitor'],
        indices: [],
        applications: [],
        run_as: [],
        metadata: {},
        transient_metadata: { enabled: true },
      },
    });
  });

  it('404 with {} when the role does not exist', async () => {
    const response = await call(api, 'GET', `${ROLE}/nothing-here`, { auth: USERS.elastic });
    expect(response.status).toBe(404);
    expect(response.body).toEqual({});
  });

  it('without a name lists superuser and every native role, not the roles file', async () => {
    const response = await call(api, 'GET', ROLE, { auth: USERS.elastic });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body)).toEqual(expect.arrayContaining(['superuser', 'shown']));
    expect(response.body.superuser).toMatchObject({ cluster: ['all'], metadata: { _reserved: true } });
    expect(Object.keys(response.body)).not.toContain('token_manager');
  });

  it('ER-10: needs manage_security', async () => {
    const response = await call(api, 'GET', ROLE, { auth: USERS.reader });
    expect(response.status).toBe(403);
    expect(response.body.error.reason).toContain('action [cluster:admin/xpack/security/role/get]');
  });
});

describe('DELETE /_security/role/{name}', () => {
  it('{"found":true}, then 404 {"found":false}', async () => {
    await putNativeRole(api, 'doomed', []);
    const first = await call(api, 'DELETE', `${ROLE}/doomed`, { auth: USERS.elastic });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ found: true });
    const second = await call(api, 'DELETE', `${ROLE}/doomed`, { auth: USERS.elastic });
    expect(second.status).toBe(404);
    expect(second.body).toEqual({ found: false });
  });

  it('the built-in superuser cannot be deleted', async () => {
    const response = await call(api, 'DELETE', `${ROLE}/superuser`, { auth: USERS.elastic });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(
      esError('illegal_argument_exception', 'role [superuser] is reserved and cannot be deleted', 400),
    );
  });

  it('ER-10: needs manage_security', async () => {
    const response = await call(api, 'DELETE', `${ROLE}/shown`, { auth: USERS.reader });
    expect(response.status).toBe(403);
    expect(response.body.error.reason).toContain('action [cluster:admin/xpack/security/role/delete]');
  });
});

describe('native roles in authorization', () => {
  const issuer = { username: 'role-holder', password: 'role-holder-password' };
  const clientCredentials = () =>
    call(api, 'POST', '/_security/oauth2/token', { auth: issuer, body: { grant_type: 'client_credentials' } });

  it('a native role grants its cluster privileges, and a change or deletion applies on the next request', async () => {
    await putNativeRole(api, 'issuer_role', ['manage_token']);
    await putNativeUser(api, { ...issuer, roles: ['issuer_role'] });
    expect((await clientCredentials()).status).toBe(200);

    await putNativeRole(api, 'issuer_role', ['monitor']);
    const demoted = await clientCredentials();
    expect(demoted.status).toBe(403);
    expect(demoted.body.error.reason).toContain('with effective roles [issuer_role]');

    await putNativeRole(api, 'issuer_role', ['manage_token']);
    expect((await clientCredentials()).status).toBe(200);
    await call(api, 'DELETE', `${ROLE}/issuer_role`, { auth: USERS.elastic });
    expect((await clientCredentials()).status).toBe(403);
  });

  it('a native role with manage_security lets a native user manage users and roles', async () => {
    await putNativeRole(api, 'security_admin', ['manage_security']);
    const admin = { username: 'sec-admin', password: 'sec-admin-password' };
    await putNativeUser(api, { ...admin, roles: ['security_admin'] });
    const response = await call(api, 'PUT', '/_security/user/made-by-sec-admin', {
      auth: admin,
      body: { password: 'valid-password', roles: [] },
    });
    expect(response.body).toEqual({ created: true });
    expect((await call(api, 'GET', ROLE, { auth: admin })).status).toBe(200);
  });

  it('a role of the roles file shadows a native role of the same name, as in Elasticsearch', async () => {
    // roles.yml defines `monitoring` (cluster: monitor), which the file realm's reader holds.
    await putNativeRole(api, 'monitoring', ['manage_token']);
    const response = await call(api, 'POST', '/_security/oauth2/token', {
      auth: USERS.reader,
      body: { grant_type: 'client_credentials' },
    });
    expect(response.status).toBe(403);
  });
});
