import { USERS } from '../support/file-realm';
import { putNativeUser } from '../support/native-users';
import { recordSecret } from '../support/secrets-audit';
import { call, startTestApi, type TestApi } from '../support/test-api';

/**
 * Elasticsearch's REST test `roles/10_basic.yml` (x-pack yamlRestTest), step by step over HTTP. Its
 * `security.query_role` steps are left out: this service does not serve the query role API.
 */
const JOE = { username: 'joe', password: 's3krit-password' };
recordSecret('password', JOE.password);

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
  await putNativeUser(api, { ...JOE, roles: ['admin_role'] });
});
afterAll(() => api.close());

describe('roles as Elasticsearch shows them (roles/10_basic.yml, RoleDescriptor.toXContent)', () => {
  it('Test put role api: put, put by a holder of the role, get with names as an array', async () => {
    const admin = await call(api, 'PUT', '/_security/role/admin_role', {
      auth: USERS.elastic,
      body: {
        cluster: ['all'],
        metadata: { key1: 'val1', key2: 'val2' },
        indices: [{ names: '*', privileges: ['all'] }],
      },
    });
    expect(admin.body).toEqual({ role: { created: true } });

    const backwards = await call(api, 'PUT', '/_security/role/backwards_role', {
      auth: JOE,
      body: { cluster: ['all'], indices: [{ privileges: ['all'], names: '*' }] },
    });
    expect(backwards.body).toEqual({ role: { created: true } });

    const read = await call(api, 'GET', '/_security/role/admin_role', { auth: JOE });
    expect(read.body.admin_role.cluster[0]).toBe('all');
    expect(read.body.admin_role.metadata).toEqual({ key1: 'val1', key2: 'val2' });
    expect(read.body.admin_role.indices[0].names[0]).toBe('*');
    expect(read.body.admin_role.indices[0].privileges[0]).toBe('all');

    const description = 'Allows all security-related operations such as CRUD operations on users and roles and cache clearing.';
    const withDescription = await call(api, 'PUT', '/_security/role/role_with_description', {
      auth: USERS.elastic,
      body: { description, cluster: ['manage_security'] },
    });
    expect(withDescription.body).toEqual({ role: { created: true } });
    const described = await call(api, 'GET', '/_security/role/role_with_description', { auth: JOE });
    expect(described.body.role_with_description.cluster[0]).toBe('manage_security');
    expect(described.body.role_with_description.description).toBe(description);
  });

  it('an index entry is shown whole, in Elasticsearch order, allow_restricted_indices false by default', async () => {
    await call(api, 'PUT', '/_security/role/shaped', {
      auth: USERS.elastic,
      body: {
        indices: [
          { query: { term: { team: 'x' } }, privileges: 'read', names: 'logs-*', field_security: { grant: ['*'] } },
          { names: ['a', 'b'], privileges: ['read'], allow_restricted_indices: true },
        ],
        cluster: ['monitor'],
      },
    });
    const { shaped } = (await call(api, 'GET', '/_security/role/shaped', { auth: USERS.elastic })).body;
    expect(Object.keys(shaped)).toEqual(['cluster', 'indices', 'applications', 'run_as', 'metadata', 'transient_metadata']);
    expect(shaped.indices).toEqual([
      {
        names: ['logs-*'],
        privileges: ['read'],
        field_security: { grant: ['*'] },
        query: '{"term":{"team":"x"}}',
        allow_restricted_indices: false,
      },
      { names: ['a', 'b'], privileges: ['read'], allow_restricted_indices: true },
    ]);
    expect(Object.keys(shaped.indices[0])).toEqual([
      'names',
      'privileges',
      'field_security',
      'query',
      'allow_restricted_indices',
    ]);
  });
});
