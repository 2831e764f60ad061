import { errors } from '@elastic/elasticsearch';
import { PREDEFINED_CLUSTER_PRIVILEGES } from '../../functions/security/authz/cluster-privileges';
import { USERS } from '../support/file-realm';
import { esClient, startTestApi, type TestApi } from '../support/test-api';

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
