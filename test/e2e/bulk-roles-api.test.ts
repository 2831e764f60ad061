import { errors } from '@elastic/elasticsearch';
import { USERS } from '../support/file-realm';
import { call, esClient, startTestApi, type TestApi } from '../support/test-api';

/*
 * Bulk put and bulk delete of roles as Elasticsearch's REST test roles/60_bulk_roles.yml checks them, through
 * the official client, and the per-role results and errors of NativeRolesStore.putRoles / deleteRoles.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const admin = () => esClient(api, USERS.elastic);
const joe = { username: 'bulk_joe', password: 's3krit-password' };
const statusOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 200,
    (error: unknown) => (error instanceof errors.ResponseError ? error.statusCode : -1),
  );

describe('roles/60_bulk_roles.yml', () => {
  afterAll(() => admin().security.deleteUser({ username: joe.username }, { ignore: [404] }));

  it('bulk put creates both roles; the user holding one reads them back; bulk delete deletes both', async () => {
    await admin().security.putUser({ ...joe, roles: ['admin_role'] });
    const description = 'Allows all security-related operations such as CRUD operations on users and roles and cache clearing.';
    const put = await admin().security.bulkPutRole({
      roles: {
        admin_role: {
          cluster: ['all'],
          metadata: { key1: 'val1', key2: 'val2' },
          indices: [{ names: '*', privileges: ['all'] }],
        },
        role_with_description: { description, cluster: ['manage_security'] },
      },
    });
    expect(put).toEqual({ created: ['admin_role', 'role_with_description'] });
    const asJoe = esClient(api, joe);
    const { admin_role } = await asJoe.security.getRole({ name: 'admin_role' });
    expect(admin_role).toMatchObject({ cluster: ['all'], metadata: { key1: 'val1', key2: 'val2' } });
    expect(admin_role?.indices[0]).toMatchObject({ names: ['*'], privileges: ['all'] });
    const { role_with_description } = await asJoe.security.getRole({ name: 'role_with_description' });
    expect(role_with_description).toMatchObject({ cluster: ['manage_security'], description });

    const deleted = await admin().security.bulkDeleteRole({ names: ['admin_role', 'role_with_description'] });
    expect(deleted).toEqual({ deleted: ['admin_role', 'role_with_description'] });
  });

  it('a second bulk put reports updated roles and unchanged ones as noop, in one answer', async () => {
    await admin().security.bulkPutRole({ roles: { bulk_a: { cluster: ['monitor'] }, bulk_b: { cluster: ['monitor'] } } });
    const again = await admin().security.bulkPutRole({
      roles: { bulk_a: { cluster: ['monitor'] }, bulk_b: { cluster: ['manage_token'] }, bulk_c: {} },
    });
    expect(again).toEqual({ noop: ['bulk_a'], created: ['bulk_c'], updated: ['bulk_b'] });
    expect(Object.keys(again)).toEqual(['noop', 'created', 'updated']);
    expect((await admin().security.getRole({ name: 'bulk_b' })).bulk_b?.cluster).toEqual(['manage_token']);
    await admin().security.bulkDeleteRole({ names: ['bulk_a', 'bulk_b', 'bulk_c'] });
  });

  it('an invalid role is an error item; the valid ones are still written', async () => {
    const answer = await admin().security.bulkPutRole({
      roles: {
        bulk_good: { cluster: ['monitor'] },
        bulk_bad: { cluster: ['not_a_privilege'] },
        superuser: { cluster: ['all'] },
      },
    });
    expect(answer.created).toEqual(['bulk_good']);
    expect(answer.errors?.count).toBe(2);
    expect(answer.errors?.details.bulk_bad).toEqual({
      type: 'action_request_validation_exception',
      reason: expect.stringMatching(/^Validation Failed: 1: unknown cluster privilege \[not_a_privilege\]/),
    });
    expect(answer.errors?.details.superuser).toEqual({
      type: 'action_request_validation_exception',
      reason: 'Validation Failed: 1: Role [superuser] is reserved and may not be used.;',
    });
    expect(await statusOf(admin().security.getRole({ name: 'bulk_bad' }))).toBe(404);
    const deleted = await admin().security.bulkDeleteRole({ names: ['bulk_good', 'bulk_never', 'superuser'] });
    expect(deleted).toEqual({
      deleted: ['bulk_good'],
      not_found: ['bulk_never'],
      errors: {
        count: 1,
        details: {
          superuser: { type: 'illegal_argument_exception', reason: 'role [superuser] is reserved and cannot be deleted' },
        },
      },
    });
  });

  it('a role that does not parse fails the whole request, and nothing is written', async () => {
    const response = await call(api, 'POST', '/_security/role', {
      auth: USERS.elastic,
      body: { roles: { bulk_first: { cluster: ['monitor'] }, bulk_typo: { clusters: ['all'] } } },
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      type: 'parse_exception',
      reason: 'failed to parse role [bulk_typo]. unexpected field [clusters]',
    });
    expect(await statusOf(admin().security.getRole({ name: 'bulk_first' }))).toBe(404);
  });

  it('ER-6: an unknown top-level field, or names that are not strings, are 400 x_content_parse_exception / parse_exception', async () => {
    const put = await call(api, 'POST', '/_security/role', { auth: USERS.elastic, body: { role: {} } });
    expect(put.status).toBe(400);
    expect(put.body.error.type).toBe('x_content_parse_exception');
    expect(put.body.error.reason).toContain('[bulk_update_roles_request_payload] unknown field [role]');
    const missing = await call(api, 'DELETE', '/_security/role', { auth: USERS.elastic, body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.reason).toContain('Required [names]');
    const notStrings = await call(api, 'DELETE', '/_security/role', { auth: USERS.elastic, body: { names: [1] } });
    expect(notStrings.status).toBe(400);
  });

  it('ER-10: both need manage_security', async () => {
    const reader = esClient(api, USERS.reader);
    expect(await statusOf(reader.security.bulkPutRole({ roles: { bulk_x: {} } }))).toBe(403);
    expect(await statusOf(reader.security.bulkDeleteRole({ names: ['bulk_x'] }))).toBe(403);
  });
});
