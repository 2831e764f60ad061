import { Client } from '@elastic/elasticsearch';
import { loadConfig } from '../../functions/config';
import { clusterUuid } from '../../functions/handlers/info';
import { ELASTICSEARCH_VERSION } from '../../functions/http/product';
import { USERS } from '../support/file-realm';
import { putNativeUser } from '../support/native-users';
import { call, esClient, startTestApi, type TestApi } from '../support/test-api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

/** The JavaScript client 9.x without its versioned media types: plain `application/json` both ways. */
function plainJsonClient(auth: { username: string; password: string } | { bearer: string }): Client {
  return new Client({
    node: api.url,
    auth,
    headers: { accept: 'application/json', 'content-type': 'application/json' },
  });
}

describe('the info API (Elasticsearch RestMainAction, MainResponse)', () => {
  it('GET / answers the keys Elasticsearch does, in its order, with the one version of this service', async () => {
    const response = await call(api, 'GET', '/', { auth: USERS.reader });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-elastic-product')).toBe('Elasticsearch');
    expect(Object.keys(response.body)).toEqual(['name', 'cluster_name', 'cluster_uuid', 'version', 'tagline']);
    expect(Object.keys(response.body.version)).toEqual([
      'number',
      'build_flavor',
      'build_type',
      'build_hash',
      'build_date',
      'build_snapshot',
      'lucene_version',
      'minimum_wire_compatibility_version',
      'minimum_index_compatibility_version',
    ]);
    expect(response.body).toMatchObject({
      version: { number: ELASTICSEARCH_VERSION, build_flavor: 'default', build_snapshot: false },
      tagline: 'You Know, for Search',
    });
    expect(response.body.cluster_uuid).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('the Warning agent carries the same version as GET / (HeaderWarning form)', async () => {
    const { warningHeader } = await import('../../functions/http/product');
    expect(warningHeader('x')).toBe(`299 Elasticsearch-${ELASTICSEARCH_VERSION}-unknown "x"`);
  });

  it('cluster_uuid is stable per deployment (same tables, same UUID; another deployment, another)', () => {
    const config = loadConfig({ TOKENS_TABLE: 'stack-a-Tokens-1', AWS_REGION: 'eu-west-1' });
    expect(clusterUuid(config)).toBe(clusterUuid({ ...config }));
    expect(clusterUuid(config)).not.toBe(clusterUuid({ ...config, tokensTable: 'stack-b-Tokens-2' }));
  });

  it('HEAD / is the same answer without a body; the JS client ping() and info() accept it', async () => {
    const head = await fetch(`${api.url}/`, {
      method: 'HEAD',
      headers: { authorization: `Basic ${Buffer.from(`${USERS.reader.username}:${USERS.reader.password}`).toString('base64')}` },
    });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const client = esClient(api, USERS.reader);
    expect(await client.ping()).toBe(true);
    expect((await client.info()).version.number).toBe(ELASTICSEARCH_VERSION);
  });

  it('authenticated (ER-8) and authorized as cluster:monitor/main (ER-10, AuthorizationService)', async () => {
    const anonymous = await call(api, 'GET', '/');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.reason).toBe('missing authentication credentials for REST request [/]');
    const unauthorized = await fetch(`${api.url}/`, { method: 'HEAD' });
    expect(unauthorized.status).toBe(401);

    await putNativeUser(api, { username: 'no_roles', password: 'no-roles-password' });
    const forbidden = await call(api, 'GET', '/', { auth: { username: 'no_roles', password: 'no-roles-password' } });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.reason).toBe(
      'action [cluster:monitor/main] is unauthorized for user [no_roles] with effective roles [], ' +
        'this action is granted by the cluster privileges [monitor,manage,all]',
    );
  });
});

describe.each([
  ['with its versioned media types (compatible-with=9)', (auth: Parameters<typeof esClient>[1]) => esClient(api, auth)],
  ['without them (application/json)', plainJsonClient],
])('the JavaScript client 9.x %s runs the token flows unchanged', (_mode, clientFor) => {
  it('get token, authenticate, refresh, invalidate', async () => {
    const client = clientFor(USERS.elastic);
    const { tokenClient } = USERS;
    const token = await client.security.getToken({ grant_type: 'password', ...tokenClient });
    const me = await clientFor({ bearer: token.access_token }).security.authenticate();
    expect(me).toMatchObject({ username: tokenClient.username, authentication_type: 'token' });
    const refreshed = await client.security.getToken({ grant_type: 'refresh_token', refresh_token: token.refresh_token });
    expect(refreshed.authentication.username).toBe(tokenClient.username);
    const invalidated = await client.security.invalidateToken({ token: refreshed.access_token });
    expect(invalidated.invalidated_tokens).toBe(1);
    expect((await client.info()).tagline).toBe('You Know, for Search');
  });
});
