import { errors } from '@elastic/elasticsearch';
import { MAX_NESTED_DEPTH } from '../../functions/security/admin/query/query-dsl';
import { withFaults } from '../support/faults';
import { USERS } from '../support/file-realm';
import { call, esClient, startTestApi, type TestApi } from '../support/test-api';

/*
 * Query users and query roles as Elasticsearch's REST tests check them (users/40_query.yml without its profile
 * step, the query steps of roles/50_remote_only.yml and 60_bulk_roles.yml), through the official client; what
 * each query reads from DynamoDB is counted from the commands the service sends.
 */
let api: TestApi;
const commands: { name: string; table: string }[] = [];
beforeAll(async () => {
  api = await startTestApi(
    {},
    {
      documents: (healthy) =>
        withFaults(healthy, (command) => {
          commands.push({
            name: command.constructor.name,
            table: JSON.stringify(command.input?.TableName ?? command.input?.RequestItems),
          });
          return undefined;
        }),
    },
  );
});
afterAll(() => api.close());

const admin = () => esClient(api, USERS.elastic);
const usersAdmin = { username: 'users_admin', password: 'x-pack-test-password' };
const statusOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 200,
    (error: unknown) => (error instanceof errors.ResponseError ? error.statusCode : -1),
  );
/** The DynamoDB commands `act` sent to the users or roles table. */
async function storageCalls(table: string, act: () => Promise<unknown>) {
  const start = commands.length;
  await act();
  return commands
    .slice(start)
    .filter((c) => c.table.includes(table))
    .map((c) => c.name);
}

describe('POST|GET /_security/_query/user (users/40_query.yml)', () => {
  beforeAll(async () => {
    await admin().security.putRole({ name: 'manage_users_role', cluster: ['manage_security'] });
    await admin().security.putUser({ ...usersAdmin, roles: ['manage_users_role'], full_name: 'Read User' });
    const asAdmin = esClient(api, usersAdmin);
    await asAdmin.security.putUser({
      username: 'test_user_1',
      password: usersAdmin.password,
      roles: ['test-role-1'],
      full_name: 'Test User 1',
    });
    await asAdmin.security.putUser({
      username: 'test_user_2',
      password: usersAdmin.password,
      roles: ['test-role-2'],
      full_name: 'Test User 2',
    });
  });

  it('an empty body, and match_all, find every native user', async () => {
    const asAdmin = esClient(api, usersAdmin);
    expect(await asAdmin.security.queryUser({})).toMatchObject({ total: 3, count: 3 });
    expect(await asAdmin.security.queryUser({ query: { match_all: {} } })).toMatchObject({ total: 3, count: 3 });
    const noBody = await call(api, 'GET', '/_security/_query/user', { auth: usersAdmin });
    expect(noBody.body).toMatchObject({ total: 3, count: 3 });
  });

  it('wildcard on roles; sorted descending by username, from 1, size 1; each hit carries _sort', async () => {
    const asAdmin = esClient(api, usersAdmin);
    expect(await asAdmin.security.queryUser({ query: { wildcard: { roles: 'test-role-*' } } })).toMatchObject({
      total: 2,
      count: 2,
    });
    const page = await asAdmin.security.queryUser({
      query: { wildcard: { roles: 'test-role-*' } },
      sort: [{ username: { order: 'desc' } }],
      from: 1,
      size: 1,
    });
    expect(page).toEqual({
      total: 2,
      count: 1,
      users: [
        {
          username: 'test_user_1',
          roles: ['test-role-1'],
          full_name: 'Test User 1',
          email: null,
          metadata: {},
          enabled: true,
          _sort: ['test_user_1'],
        },
      ],
    });
  });

  it('search_after resumes after the last hit of the page before', async () => {
    const asAdmin = esClient(api, usersAdmin);
    const first = await asAdmin.security.queryUser({ sort: ['username'], size: 1 });
    const next = await asAdmin.security.queryUser({ sort: ['username'], size: 1, search_after: first.users[0]?._sort });
    expect([first.users[0]?.username, next.users[0]?.username]).toEqual(['test_user_1', 'test_user_2']);
  });

  it('bool, term, terms, prefix, match, exists, range, simple_query_string, ids', async () => {
    const names = async (query: object) =>
      (await esClient(api, usersAdmin).security.queryUser({ query, sort: ['username'] })).users.map((u) => u.username);
    expect(await names({ term: { username: 'test_user_2' } })).toEqual(['test_user_2']);
    expect(await names({ terms: { roles: ['test-role-1', 'manage_users_role'] } })).toEqual(['test_user_1', 'users_admin']);
    expect(await names({ prefix: { username: 'test_' } })).toEqual(['test_user_1', 'test_user_2']);
    expect(await names({ match: { full_name: 'user 1' } })).toEqual(['test_user_1', 'test_user_2', 'users_admin']);
    expect(await names({ match: { full_name: { query: 'test 1', operator: 'and' } } })).toEqual(['test_user_1']);
    expect(await names({ exists: { field: 'full_name' } })).toHaveLength(3);
    expect(await names({ range: { username: { gte: 'test_user_2' } } })).toEqual(['test_user_2', 'users_admin']);
    expect(await names({ simple_query_string: { query: 'read', fields: ['full_*'] } })).toEqual(['users_admin']);
    expect(await names({ ids: { values: ['users_admin', 'nobody'] } })).toEqual(['users_admin']);
    expect(
      await names({
        bool: { must: [{ prefix: { username: 'test' } }], must_not: { term: { roles: 'test-role-1' } }, should: [], filter: [] },
      }),
    ).toEqual(['test_user_2']);
    expect(
      await names({ bool: { should: [{ term: { username: 'test_user_1' } }, { term: { username: 'users_admin' } }] } }),
    ).toEqual(['test_user_1', 'users_admin']);
  });

  it('a query by username reads those users by key (BatchGetItem); any other scans, bounded', async () => {
    const asAdmin = esClient(api, usersAdmin);
    const byKey = await storageCalls(api.usersTable, () =>
      asAdmin.security.queryUser({
        query: { bool: { filter: { terms: { username: ['test_user_1', 'x'] } }, must: { match_all: {} } } },
      }),
    );
    expect(byKey.filter((name) => name !== 'GetCommand')).toEqual(['BatchGetCommand']);
    const scanned = await storageCalls(api.usersTable, () =>
      asAdmin.security.queryUser({ query: { prefix: { username: 'test' } } }),
    );
    expect(scanned.filter((name) => name !== 'GetCommand')).toEqual(['ScanCommand']);
  });

  it('fields outside the allow-list, field patterns, unsupported query types and sorts are 400s with Elasticsearch messages', async () => {
    const ask = (body: object) => call(api, 'POST', '/_security/_query/user', { auth: usersAdmin, body });
    const refused = async (body: object) => {
      const response = await ask(body);
      expect(response.status).toBe(400);
      return response.body.error;
    };
    expect(await refused({ query: { term: { password: 'x' } } })).toMatchObject({
      type: 'illegal_argument_exception',
      reason: 'Field [password] is not allowed for querying or aggregation',
    });
    expect((await refused({ query: { term: { 'user*': 'x' } } })).reason).toBe(
      'Field name pattern [user*] is not allowed for querying or aggregation',
    );
    expect((await refused({ query: { fuzzy: { username: 'x' } } })).reason).toBe(
      'Query type [fuzzy] is not currently supported in this context',
    );
    expect((await refused({ query: { nonsense: {} } })).type).toBe('parsing_exception');
    expect((await refused({ sort: ['full_name'] })).reason).toBe('sorting is not supported for field [full_name]');
    expect((await refused({ from: 9995, size: 10 })).reason).toMatch(
      /^Result window is too large, from \+ size must be less than or equal to: \[10000\]/,
    );
    expect((await refused({ size: -1 })).type).toBe('action_request_validation_exception');
    expect((await refused({ aggs: {} })).reason).toContain('[query_user_request_payload] unknown field [aggs]');
  });

  it('ER-10: needs read_security or manage_security', async () => {
    expect(await statusOf(esClient(api, USERS.reader).security.queryUser({}))).toBe(403);
  });
});

describe('POST|GET /_security/_query/role (roles/50_remote_only.yml, 60_bulk_roles.yml)', () => {
  beforeAll(async () => {
    await admin().security.bulkPutRole({
      roles: {
        admin_role: {
          cluster: ['all'],
          metadata: { key1: 'val1', key2: 'val2' },
          indices: [{ names: '*', privileges: ['all'] }],
        },
        role_with_description: { description: 'Allows all security-related operations', cluster: ['manage_security'] },
        remote_role: {
          remote_indices: [{ names: ['logs*'], privileges: ['read'], allow_restricted_indices: false, clusters: ['*'] }],
          remote_cluster: [{ privileges: ['monitor_enrich'], clusters: ['my_remote*', 'my_remote2*'] }],
        },
        reserved_like: { metadata: { _reserved: true } },
      },
    });
  });

  it('a role whose metadata is reserved is refused by bulk put, so no stored role holds metadata._reserved', async () => {
    expect((await admin().security.getRole({ name: 'reserved_like' }, { ignore: [404] })).reserved_like).toBeUndefined();
  });

  it('must_not metadata._reserved, sorted by name: the roles with their descriptors, remote privileges included', async () => {
    const answer = await admin().security.queryRole({
      query: { bool: { must_not: { term: { 'metadata._reserved': true } } } },
      sort: ['name'],
    });
    expect(answer.total).toBe(4);
    expect(answer.roles.map((role) => role.name)).toEqual([
      'admin_role',
      'manage_users_role',
      'remote_role',
      'role_with_description',
    ]);
    const remote = answer.roles.find((role) => role.name === 'remote_role');
    expect(remote?.remote_indices?.[0]).toMatchObject({
      names: ['logs*'],
      privileges: ['read'],
      allow_restricted_indices: false,
      clusters: ['*'],
    });
    expect(remote?.remote_cluster?.[0]).toEqual({ privileges: ['monitor_enrich'], clusters: ['my_remote*', 'my_remote2*'] });
    expect(answer.roles[0]).toMatchObject({ name: 'admin_role', cluster: ['all'], _sort: ['admin_role'] });
  });

  it('metadata sub-fields, description words and names by key', async () => {
    const names = async (query: object) => (await admin().security.queryRole({ query, sort: ['name'] })).roles.map((r) => r.name);
    expect(await names({ term: { 'metadata.key1': 'val1' } })).toEqual(['admin_role']);
    expect(await names({ exists: { field: 'metadata' } })).toEqual(['admin_role']);
    expect(await names({ match: { description: 'security' } })).toEqual(['role_with_description']);
    const reads = await storageCalls(api.rolesTable, () => names({ ids: { values: ['remote_role'] } }));
    expect(reads.filter((name) => name !== 'GetCommand')).toEqual(['BatchGetCommand']);
  });
});

describe('hostile queries: 4xx, and bounded work', () => {
  const ask = (body: unknown) => call(api, 'POST', '/_security/_query/role', { auth: USERS.elastic, body });

  it(`a deep bool is refused before it is read: the body's nesting limit, then ${MAX_NESTED_DEPTH} bools`, async () => {
    let query: object = { match_all: {} };
    for (let i = 0; i < 2000; i++) query = { bool: { must: query } };
    const response = await call(api, 'POST', '/_security/_query/role', {
      auth: USERS.elastic,
      rawBody: JSON.stringify({ query }),
    });
    expect(response.status).toBe(400);
    expect(response.body.error.reason).toMatch(/nested more than \[32\] levels deep|maximum nested depth/);
  });

  it('a huge terms list on the name is read by one bounded Scan, not a BatchGetItem a hundred names', async () => {
    const values = Array.from({ length: 5000 }, (_, i) => `r${i}`);
    const reads = await storageCalls(api.rolesTable, async () => {
      const response = await ask({ query: { terms: { name: values } } });
      expect(response.status).toBe(200);
    });
    expect(reads.filter((name) => name === 'ScanCommand').length).toBeGreaterThan(0);
    expect(reads.filter((name) => name === 'BatchGetCommand')).toEqual([]);
  });

  it('wildcard patterns that backtrack elsewhere are matched by the linear automaton', async () => {
    const response = await ask({ query: { wildcard: { name: `${'*?'.repeat(500)}X` } } });
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(0);
  });

  it('fuzzed query bodies never answer 5xx', async () => {
    const shapes: unknown[] = [
      { query: null },
      { query: [] },
      { query: { bool: { must: 1 } } },
      { query: { bool: { minimum_should_match: 'x', should: [{ match_all: {} }] } } },
      { query: { term: {} } },
      { query: { term: { name: { value: {} } } } },
      { query: { terms: { name: 'x' } } },
      { query: { range: { name: { relation: 'within' } } } },
      { query: { wildcard: { 'metadata.__proto__': '*' } } },
      { query: { simple_query_string: { query: 1 } } },
      { sort: [{ name: { order: 'sideways' } }] },
      { sort: 5 },
      { search_after: 'x' },
      { from: 1.5 },
    ];
    for (const body of shapes) {
      const response = await ask(body);
      expect(response.status).toBeGreaterThanOrEqual(200);
      expect(response.status).toBeLessThan(500);
    }
  });
});
