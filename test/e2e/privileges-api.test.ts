import { errors } from '@elastic/elasticsearch';
import { PREDEFINED_CLUSTER_PRIVILEGES } from '../../functions/security/authz/cluster-privileges';
import { USERS } from '../support/file-realm';
import { call, esClient, startTestApi, type TestApi } from '../support/test-api';

/*
 * The privilege APIs as Elasticsearch's REST tests check them (privileges/11_builtin.yml, 40_get_user_privs.yml,
 * and the `_has_privileges` checks of the security suites), through the official client.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const admin = () => esClient(api, USERS.elastic);
const statusOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 200,
    (error: unknown) => (error instanceof errors.ResponseError ? error.statusCode : -1),
  );

describe('GET /_security/privilege/_builtin (privileges/11_builtin.yml)', () => {
  it('lists every predefined cluster and index privilege, each list in Java string order', async () => {
    const builtin = await admin().security.getBuiltinPrivileges();
    expect(builtin.cluster).toEqual([...PREDEFINED_CLUSTER_PRIVILEGES].sort());
    expect(builtin.cluster).toContain('manage_security');
    expect(builtin.index).toEqual([...builtin.index].sort());
    expect(builtin.index).toEqual(expect.arrayContaining(['all', 'read', 'write', 'create_doc', 'view_index_metadata']));
    expect(builtin.index).toHaveLength(22);
    expect(builtin.remote_cluster).toEqual(['monitor_enrich', 'monitor_stats']);
  });

  it('ER-10: needs read_security or manage_security; a monitor-only user is refused', async () => {
    expect(await statusOf(esClient(api, USERS.reader).security.getBuiltinPrivileges())).toBe(403);
  });
});

/** The roles and users of privileges/40_get_user_privs.yml (its application privilege definitions aside). */
const ROLE_1 = {
  cluster: ['monitor'],
  global: { application: { manage: { applications: ['test-*'] } } },
  indices: [
    { names: ['test-1-*'], privileges: ['read'] },
    {
      names: ['test-2-*'],
      privileges: ['read'],
      field_security: { grant: ['*'], except: ['secret-*', 'private-*'] },
      query: { term: { test: true } },
    },
    { names: ['test-3-*', 'test-4-*', 'test-5-*'], privileges: ['read'], field_security: { grant: ['test-*'] } },
    { names: ['test-6-*', 'test-7-*'], privileges: ['read'], query: { term: { test: true } } },
  ],
  applications: [
    { application: 'test-app', privileges: ['user'], resources: ['*'] },
    { application: 'test-app', privileges: ['read'], resources: ['object/1'] },
  ],
  run_as: ['test-*'],
};
const ROLE_2 = {
  cluster: ['manage', 'manage_security'],
  global: { application: { manage: { applications: ['apps-*'] } } },
  indices: [
    { names: ['test-1-*', 'test-9-*'], privileges: ['all'] },
    { names: ['test-2-*'], privileges: ['read'], field_security: { grant: ['apps-*'] }, query: { term: { apps: true } } },
    { names: ['test-3-*', 'test-6-*'], privileges: ['read', 'write'] },
    { names: ['test-4-*'], privileges: ['read'], field_security: { grant: ['*'], except: ['private-*'] } },
  ],
  applications: [
    { application: 'app-dne', privileges: ['all'], resources: ['*'] },
    { application: 'test-app', privileges: ['dne'], resources: ['*'] },
    { application: 'test-app', privileges: ['read'], resources: ['object/2'] },
  ],
  run_as: ['app-*'],
};
const password = 'test-user-password';
const user = (username: string) => esClient(api, { username, password });

describe('GET /_security/user/_privileges (privileges/40_get_user_privs.yml, roles/50_remote_only.yml)', () => {
  beforeAll(async () => {
    await admin().security.putRole({ name: 'test-role-1', ...ROLE_1 });
    await admin().security.putRole({ name: 'test-role-2', ...ROLE_2 });
    await admin().security.putUser({ username: 'test-1', password, roles: ['test-role-1'] });
    await admin().security.putUser({ username: 'test-2', password, roles: ['test-role-2'] });
    await admin().security.putUser({ username: 'test-3', password, roles: ['test-role-1', 'test-role-2'] });
  });
  afterAll(async () => {
    for (const username of ['test-1', 'test-2', 'test-3']) await admin().security.deleteUser({ username }, { ignore: [404] });
    await admin().security.bulkDeleteRole({ names: ['test-role-1', 'test-role-2'] });
  });

  it('a single role: its cluster privileges, global, index entries (field security and query as lists), applications, run_as', async () => {
    const privileges = await user('test-1').security.getUserPrivileges();
    expect(privileges.cluster).toEqual(['monitor']);
    expect(privileges.global).toEqual([{ application: { manage: { applications: ['test-*'] } } }]);
    expect(privileges.indices).toHaveLength(4);
    expect(privileges.indices).toContainEqual({ names: ['test-1-*'], privileges: ['read'], allow_restricted_indices: false });
    expect(privileges.indices).toContainEqual({
      names: ['test-2-*'],
      privileges: ['read'],
      field_security: [{ grant: ['*'], except: ['secret-*', 'private-*'] }],
      query: ['{"term":{"test":true}}'],
      allow_restricted_indices: false,
    });
    expect(privileges.indices).toContainEqual(
      expect.objectContaining({ names: ['test-3-*', 'test-4-*', 'test-5-*'], field_security: [{ grant: ['test-*'] }] }),
    );
    expect(privileges.indices).toContainEqual(
      expect.objectContaining({ names: ['test-6-*', 'test-7-*'], query: ['{"term":{"test":true}}'] }),
    );
    expect(privileges.applications).toEqual([
      { application: 'test-app', privileges: ['user'], resources: ['*'] },
      { application: 'test-app', privileges: ['read'], resources: ['object/1'] },
    ]);
    expect(privileges.run_as).toEqual(['test-*']);
  });

  it('merged roles: sorted cluster privileges, same index entries joined, applications merged by privileges then resources', async () => {
    const privileges = await user('test-3').security.getUserPrivileges();
    expect(privileges.cluster).toEqual(['manage', 'manage_security', 'monitor']);
    expect(privileges.global).toHaveLength(2);
    expect(privileges.indices).toHaveLength(7);
    expect(privileges.indices).toContainEqual({
      names: ['test-2-*'],
      privileges: ['read'],
      field_security: [{ grant: ['*'], except: ['secret-*', 'private-*'] }, { grant: ['apps-*'] }],
      query: ['{"term":{"test":true}}', '{"term":{"apps":true}}'],
      allow_restricted_indices: false,
    });
    expect(privileges.indices).toContainEqual(
      expect.objectContaining({ names: ['test-3-*', 'test-6-*'], privileges: ['read', 'write'] }),
    );
    expect(privileges.applications).toHaveLength(3);
    expect(privileges.applications).toContainEqual({ application: 'app-dne', privileges: ['all'], resources: ['*'] });
    expect(privileges.applications).toContainEqual({ application: 'test-app', privileges: ['user', 'dne'], resources: ['*'] });
    expect(privileges.applications).toContainEqual({
      application: 'test-app',
      privileges: ['read'],
      resources: ['object/1', 'object/2'],
    });
    expect(privileges.run_as).toEqual(['app-*', 'test-*']);
  });

  it('roles/50_remote_only: remote indices and remote cluster privileges are shown when a role has them', async () => {
    await admin().security.putRole({
      name: 'remote_role',
      remote_indices: [{ names: ['logs*'], privileges: ['read'], allow_restricted_indices: false, clusters: ['*'] }],
      remote_cluster: [{ privileges: ['monitor_enrich'], clusters: ['my_remote*', 'my_remote2*'] }],
    });
    await admin().security.putUser({ username: 'remote_joe', password, roles: ['remote_role'] });
    const { remote_role } = await admin().security.getRole({ name: 'remote_role' });
    expect(remote_role?.remote_indices?.[0]).toMatchObject({ names: ['logs*'], privileges: ['read'], clusters: ['*'] });
    const privileges = await user('remote_joe').security.getUserPrivileges();
    expect(privileges.remote_indices).toEqual([
      { names: ['logs*'], privileges: ['read'], allow_restricted_indices: false, clusters: ['*'] },
    ]);
    expect(privileges.remote_cluster).toEqual([{ privileges: ['monitor_enrich'], clusters: ['my_remote*', 'my_remote2*'] }]);
    await admin().security.deleteUser({ username: 'remote_joe' });
    await admin().security.deleteRole({ name: 'remote_role' });
  });

  it('the built-in superuser, and a file-realm user whose role is in roles.yml', async () => {
    const superuser = await admin().security.getUserPrivileges();
    expect(superuser).toMatchObject({ cluster: ['all'], run_as: ['*'] });
    expect(superuser.indices).toEqual([{ names: ['*'], privileges: ['all'], allow_restricted_indices: false }]);
    const reader = await esClient(api, USERS.reader).security.getUserPrivileges();
    expect(reader).toEqual({ cluster: ['monitor'], global: [], indices: [], applications: [], run_as: [] });
  });

  it('is not read as "get user _privileges": the specific route wins over /_security/user/{username}', async () => {
    const response = await call(api, 'GET', '/_security/user/_privileges', { auth: USERS.reader });
    expect(response.status).toBe(200);
    expect(response.body.cluster).toEqual(['monitor']);
    expect((await call(api, 'DELETE', '/_security/user/_privileges', { auth: USERS.elastic })).status).toBe(405);
  });
});

describe('GET|POST /_security/user/_has_privileges', () => {
  beforeAll(async () => {
    await admin().security.putRole({ name: 'test-role-1', ...ROLE_1 });
    await admin().security.putRole({ name: 'test-role-2', ...ROLE_2 });
    await admin().security.putUser({ username: 'test-1', password, roles: ['test-role-1'] });
    await admin().security.putUser({ username: 'test-3', password, roles: ['test-role-1', 'test-role-2'] });
  });
  afterAll(async () => {
    for (const username of ['test-1', 'test-3']) await admin().security.deleteUser({ username }, { ignore: [404] });
    await admin().security.bulkDeleteRole({ names: ['test-role-1', 'test-role-2'] });
  });

  it('cluster, index and application privileges, each answered, with has_all_requested', async () => {
    const answer = await user('test-1').security.hasPrivileges({
      cluster: ['monitor', 'manage'],
      index: [
        { names: ['test-1-a', 'test-2-*'], privileges: ['read', 'write'] },
        { names: ['test-1-*'], privileges: ['indices:data/read/search', 'view_index_metadata'] },
      ],
      application: [{ application: 'test-app', privileges: ['user', 'read'], resources: ['object/1', 'object/3'] }],
    });
    expect(answer).toEqual({
      username: 'test-1',
      has_all_requested: false,
      cluster: { monitor: true, manage: false },
      index: {
        'test-1-*': { 'indices:data/read/search': true, view_index_metadata: false },
        'test-1-a': { read: true, write: false },
        'test-2-*': { read: true, write: false },
      },
      application: {
        'test-app': { 'object/1': { user: true, read: true }, 'object/3': { user: true, read: false } },
      },
    });
  });

  it('privileges imply others by their actions: write implies index and create_doc, all implies everything, manage implies monitor', async () => {
    const answer = await user('test-3').security.hasPrivileges({
      cluster: [
        'monitor',
        'manage',
        'monitor_ml',
        'manage_token',
        'read_security',
        'cluster:admin/xpack/security/user/get',
        'all',
      ],
      index: [
        { names: ['test-3-x'], privileges: ['index', 'create_doc', 'delete', 'manage'] },
        { names: ['test-9-*', '/test-1-[a-z]+/'], privileges: ['manage', 'all', 'indices:admin/refresh'] },
        { names: ['test-*'], privileges: ['read'] },
      ],
    });
    expect(answer.cluster).toEqual({
      monitor: true,
      manage: true,
      monitor_ml: true,
      manage_token: true,
      read_security: true,
      'cluster:admin/xpack/security/user/get': true,
      all: false,
    });
    expect(answer.index).toEqual({
      '/test-1-[a-z]+/': { manage: true, all: true, 'indices:admin/refresh': true },
      'test-*': { read: false },
      'test-3-x': { index: true, create_doc: true, delete: true, manage: false },
      'test-9-*': { manage: true, all: true, 'indices:admin/refresh': true },
    });
    expect(answer.has_all_requested).toBe(false);
  });

  it('the superuser holds everything; POST answers as GET does', async () => {
    const request = {
      cluster: ['all'],
      index: [{ names: ['*'], privileges: ['all'] }],
      application: [{ application: 'any', privileges: ['x'], resources: ['*'] }],
    };
    const post = await call(api, 'POST', '/_security/user/_has_privileges', { auth: USERS.elastic, body: request });
    expect(post.body).toMatchObject({ username: 'elastic', has_all_requested: true });
    const get = await admin().transport.request({ method: 'GET', path: '/_security/user/_has_privileges', body: request });
    expect(get).toEqual(post.body);
  });

  it('ER-6: unknown privileges and malformed requests are 400s with Elasticsearch messages', async () => {
    const ask = (body: unknown) => call(api, 'POST', '/_security/user/_has_privileges', { auth: USERS.reader, body });
    const unknownCluster = await ask({ cluster: ['fly'] });
    expect(unknownCluster.status).toBe(400);
    expect(unknownCluster.body.error.reason).toMatch(/^unknown cluster privilege \[fly\]/);
    const unknownIndex = await ask({ index: [{ names: ['a'], privileges: ['fly'] }] });
    expect(unknownIndex.status).toBe(400);
    expect(unknownIndex.body.error.reason).toMatch(/^unknown index privilege \[fly\]/);
    expect((await ask({ index: [{ names: ['a'] }] })).body.error.reason).toBe(
      'failed to parse indices privileges for role [reader]. missing required [privileges] field',
    );
    expect((await ask({ index: [{ names: ['a'], privileges: ['read'], query: {} }] })).body.error.reason).toBe(
      'Field [query] is not supported in a has_privileges request',
    );
    expect((await ask({ clusters: [] })).body.error.reason).toBe(
      'failed to parse privileges check [reader]. unexpected field [clusters]',
    );
    expect((await ask({ cluster: [] })).body.error).toMatchObject({
      type: 'action_request_validation_exception',
      reason: 'Validation Failed: 1: must specify at least one privilege;',
    });
    expect((await ask({ index: [{ names: ['/unclosed'], privileges: ['read'] }] })).status).toBe(400);
  });

  it('hostile patterns (exploding regular expressions, a thousand names, backtracking wildcards) are 400s or answers, never 5xx', async () => {
    const ask = (body: unknown) => call(api, 'POST', '/_security/user/_has_privileges', { auth: USERS.elastic, body });
    // Its determinized automaton has 2^21 states: Lucene refuses it as too complex to determinize, and so does this.
    const exploding = await ask({ index: [{ names: ['/(a|b)*a(a|b){20}/'], privileges: ['read'] }] });
    expect(exploding.status).toBe(400);
    expect(exploding.body.error.reason).toMatch(/too complex/);
    const many = await ask({ index: [{ names: Array.from({ length: 1000 }, (_, i) => `logs-${i}-*`), privileges: ['read'] }] });
    expect([200, 400]).toContain(many.status);
    const starry = await ask({ index: [{ names: [`${'*?'.repeat(500)}X`], privileges: ['read', 'write'] }] });
    expect(starry.status).toBe(200);
  });
});

describe('GET|POST /_security/user/{username}/_has_privileges', () => {
  const request = { cluster: ['monitor'] };

  it("answers for the caller's own name as without it", async () => {
    const own = await esClient(api, USERS.reader).security.hasPrivileges({ user: USERS.reader.username, ...request });
    expect(own).toEqual({ username: 'reader', has_all_requested: true, cluster: { monitor: true }, index: {}, application: {} });
  });

  it('ER-10: another user needs manage_security, and is then refused: users may only check their own account', async () => {
    expect(await statusOf(esClient(api, USERS.reader).security.hasPrivileges({ user: 'elastic', ...request }))).toBe(403);
    const other = await call(api, 'POST', '/_security/user/reader/_has_privileges', { auth: USERS.elastic, body: request });
    expect(other.status).toBe(400);
    expect(other.body.error).toMatchObject({
      type: 'illegal_argument_exception',
      reason: 'users may only check the privileges of their own account',
    });
  });
});
