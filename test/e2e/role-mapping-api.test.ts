import { errors } from '@elastic/elasticsearch';
import { USERS } from '../support/file-realm';
import { esError, validationError } from '../support/native-users';
import { call, esClient, startTestApi, type TestApi } from '../support/test-api';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const MAPPING = '/_security/role_mapping';
const auth = USERS.elastic;
const everyone = {
  enabled: true,
  roles: ['kibana_user'],
  rules: { field: { username: '*' } },
  metadata: { uuid: 'b9a59ba9-6b92-4be2-bb8d-02bb270cb3a7' },
};

describe('the role-mapping API with the official JS client (role_mapping REST YAML tests)', () => {
  it('RM-1, RM-8 (10_basic.yml): put, get by name, get all', async () => {
    const client = esClient(api, auth);
    expect(await client.security.putRoleMapping({ name: 'everyone', ...everyone })).toEqual({ role_mapping: { created: true } });
    const byName = await client.security.getRoleMapping({ name: 'everyone' });
    expect(byName.everyone).toEqual(everyone);
    const all = await client.security.getRoleMapping();
    expect(all.everyone?.rules).toEqual({ field: { username: '*' } });
  });

  it('RM-8 (30_delete.yml): delete answers found, and the mapping is then missing', async () => {
    const client = esClient(api, auth);
    await client.security.putRoleMapping({ name: 'to_delete', ...everyone });
    expect((await client.security.getRoleMapping({ name: 'to_delete' })).to_delete?.enabled).toBe(true);
    expect(await client.security.deleteRoleMapping({ name: 'to_delete' })).toEqual({ found: true });
    await expect(client.security.getRoleMapping({ name: 'to_delete' })).rejects.toMatchObject({ meta: { statusCode: 404 } });
    await expect(client.security.deleteRoleMapping({ name: 'to_delete' })).rejects.toBeInstanceOf(errors.ResponseError);
  });

  it('RM-8 (20_get_missing.yml): one or two unknown names are a 404 {}', async () => {
    for (const names of ['does_not_exist', 'does_not_exist,neither']) {
      const response = await call(api, 'GET', `${MAPPING}/${names}`, { auth });
      expect({ status: response.status, body: response.body }).toEqual({ status: 404, body: {} });
    }
  });
});

describe('PUT|POST /_security/role_mapping/{name}', () => {
  it('RM-8: replacing a mapping answers created: false; POST is the same API; refresh is accepted', async () => {
    const first = await call(api, 'PUT', `${MAPPING}/replaced`, { auth, body: everyone });
    expect(first.body).toEqual({ role_mapping: { created: true } });
    const second = await call(api, 'POST', `${MAPPING}/replaced?refresh=wait_for`, {
      auth,
      body: { ...everyone, enabled: false },
    });
    expect(second.body).toEqual({ role_mapping: { created: false } });
    expect((await call(api, 'GET', `${MAPPING}/replaced`, { auth })).body.replaced.enabled).toBe(false);
  });

  it('RM-2, RM-8: role templates are shown as the JSON text of their script, with their format', async () => {
    const body = {
      enabled: true,
      role_templates: [
        { template: { source: '{{#tojson}}groups{{/tojson}}' }, format: 'json' },
        { template: '{"source":"{{username}}"}' },
      ],
      rules: { all: [{ field: { 'realm.name': 'oidc1' } }, { except: { field: { groups: ['a', 'b'] } } }] },
    };
    expect((await call(api, 'PUT', `${MAPPING}/templated`, { auth, body })).status).toBe(200);
    expect((await call(api, 'GET', `${MAPPING}/templated`, { auth })).body).toEqual({
      templated: {
        enabled: true,
        role_templates: [
          { template: '{"source":"{{#tojson}}groups{{/tojson}}"}', format: 'json' },
          { template: '{"source":"{{username}}"}', format: 'string' },
        ],
        rules: body.rules,
        metadata: {},
      },
    });
  });

  it.each([
    ['roles', { enabled: true, rules: { field: { username: '*' } } }],
    ['rules', { enabled: true, roles: ['r'] }],
    ['enabled', { roles: ['r'], rules: { field: { username: '*' } } }],
  ])('RM-3: a mapping without [%s] is a parsing_exception', async (missing, body) => {
    const response = await call(api, 'PUT', `${MAPPING}/incomplete`, { auth, body });
    expect(response.body).toEqual(
      esError('parsing_exception', `failed to parse role-mapping [incomplete]. missing field [${missing}]`, 400),
    );
  });

  it('RM-3: request validation collects its messages', async () => {
    const response = await call(api, 'PUT', `${MAPPING}/x-read-only-operator-mapping`, {
      auth,
      body: { enabled: true, roles: [], rules: { field: { username: '*' } }, metadata: { _reserved: true } },
    });
    expect(response.body).toEqual(
      validationError(
        'Invalid mapping name [x-read-only-operator-mapping]. [-read-only-operator-mapping] is not an allowed suffix',
        'role-mapping roles or role-templates are missing',
        'metadata keys may not start with [_]',
      ),
    );
    const both = await call(api, 'PUT', `${MAPPING}/both`, {
      auth,
      body: { ...everyone, role_templates: [{ template: { source: 'x' } }] },
    });
    expect(both.body).toEqual(validationError('role-mapping cannot have both roles and role-templates'));
  });

  it('RM-4: a rules error is a parse_exception with the expression parser message', async () => {
    const response = await call(api, 'PUT', `${MAPPING}/bad_rules`, {
      auth,
      body: { ...everyone, rules: { field: { username: 'a' }, any: [] } },
    });
    expect(response.body).toEqual(
      esError('parse_exception', 'failed to parse rules expression. object [rules] contains multiple fields', 400),
    );
  });

  it('RM-2 (OPEN-7): an unknown field, run_as included, is refused; so is a field named twice', async () => {
    const unknown = await call(api, 'PUT', `${MAPPING}/unknown`, { auth, body: { ...everyone, run_as: ['x'] } });
    expect(unknown.body).toEqual(esError('parsing_exception', '[role-mapping] unknown field [run_as]', 400));
    const twice = await call(api, 'PUT', `${MAPPING}/twice`, {
      auth,
      rawBody: '{"enabled":true,"roles":["a"],"rules":{"field":{"username":"*","username":"x"}}}',
    });
    expect(twice.status).toBe(400);
    expect(twice.body.error.type).toBe('x_content_parse_exception');
  });

  it('RM-7: a template that does not compile is a 400 illegal_argument_exception', async () => {
    const response = await call(api, 'PUT', `${MAPPING}/bad_template`, {
      auth,
      body: { enabled: true, role_templates: [{ template: { source: '{{#open}}' } }], rules: { field: { username: '*' } } },
    });
    expect(response.status).toBe(400);
    expect(response.body.error.type).toBe('illegal_argument_exception');
  });

  it('RM-1, ER-10: the role-mapping APIs need manage_security', async () => {
    for (const [method, path, action] of [
      ['PUT', `${MAPPING}/sneaky`, 'put'],
      ['GET', MAPPING, 'get'],
      ['DELETE', `${MAPPING}/everyone`, 'delete'],
    ] as const) {
      const response = await call(api, method, path, { auth: USERS.tokenClient, ...(method === 'PUT' && { body: everyone }) });
      expect(response.status).toBe(403);
      expect(response.body.error.reason).toMatch(
        new RegExp(
          `^action \\[cluster:admin/xpack/security/role_mapping/${action}\\] is unauthorized for user \\[token_client\\] .* granted by the cluster privileges \\[manage_security,all\\]$`,
        ),
      );
    }
  });
});

describe('GET /_security/role_mapping', () => {
  it('RM-1: _all and * name every mapping; known names are answered even beside unknown ones', async () => {
    await call(api, 'PUT', `${MAPPING}/listed`, { auth, body: everyone });
    for (const path of [MAPPING, `${MAPPING}/_all`, `${MAPPING}/*`]) {
      expect(Object.keys((await call(api, 'GET', path, { auth })).body)).toContain('listed');
    }
    const some = await call(api, 'GET', `${MAPPING}/listed,unknown`, { auth });
    expect({ status: some.status, names: Object.keys(some.body) }).toEqual({ status: 200, names: ['listed'] });
  });
});
