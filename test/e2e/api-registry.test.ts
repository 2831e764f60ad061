import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { type ApiEntry, describeRoutes, type TableAccess } from '../../functions/api/api-entry';
import { APIS } from '../../functions/api/registry';
import { apiTable, readmeApiTable } from '../../infra/api-table';
import { TokenServiceStack } from '../../infra/token-service-stack';
import { synthesize } from '../support/cdk-app';
import { USERS } from '../support/file-realm';
import { call, startTestApi, type TestApi } from '../support/test-api';

/**
 * Adding an API is one handler module and one registry entry (docs/adding-an-api.md): this proves that the
 * deployed stack, the local API and the README all carry every entry, with nothing else to edit.
 */
const ENTRIES = Object.entries(APIS) as [string, ApiEntry][];
const routesOf = (api: ApiEntry) => api.paths.flatMap((path) => api.methods.map((method) => ({ method, path })));
/** A path of a route, its parameters filled in. */
const concrete = (path: string) => path.replace(/\{\w+\}/g, 'registry-probe');

describe('the API registry: every entry in the stack', () => {
  const { stack, resources } = synthesize((app) => new TokenServiceStack(app, 'Registry'));
  const pathOf = (id: string): string => {
    const resource = resources[id];
    if (resource?.Type !== 'AWS::ApiGateway::Resource') return '';
    return `${pathOf((resource.Properties.ParentId as { Ref?: string }).Ref ?? '')}/${resource.Properties.PathPart}`;
  };
  const methods = Object.values(resources)
    .filter((r) => r.Type === 'AWS::ApiGateway::Method')
    .map((r) => ({
      route: `${r.Properties.HttpMethod} ${pathOf((r.Properties.ResourceId as { Ref: string }).Ref) || '/'}`,
      uri: JSON.stringify((r.Properties.Integration as { Uri: unknown }).Uri),
      answeredByGateway: (r.Properties.Integration as { Type: string }).Type === 'MOCK',
    }));
  /** The methods that call a function; OPTIONS and the other methods of a routed path API Gateway answers itself. */
  const routed = methods.filter((m) => !m.answeredByGateway);

  it.each(ENTRIES)('%s: a function of its handler, its routes, its grants', (id, api) => {
    const fn = stack.functions[id];
    if (fn === undefined) throw new Error(`no function ${id}`);
    const functionId = stack.getLogicalId(fn.node.defaultChild as CfnFunction);
    const resource = resources[functionId];
    if (resource === undefined) throw new Error(`no resource ${functionId}`);
    expect(resource.Properties.Description).toBe(describeRoutes(api));
    for (const { method, path } of routesOf(api)) {
      const found = routed.find((m) => m.route === `${method} ${path}`);
      expect(found?.uri).toContain(JSON.stringify({ 'Fn::GetAtt': [functionId, 'Arn'] }));
    }
    const roleId = (resource.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    const granted = JSON.stringify(
      Object.values(resources).filter(
        (r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as { Ref: string }[]).some((ref) => ref.Ref === roleId),
      ),
    );
    for (const access of Object.values(api.access) as TableAccess[]) {
      for (const item of access.items ?? []) expect(granted).toContain(`"dynamodb:${item}"`);
    }
  });

  it('has no route that no entry names', () => {
    const registered = ENTRIES.flatMap(([, api]) => routesOf(api).map(({ method, path }) => `${method} ${path}`));
    expect(routed.map((m) => m.route).sort()).toEqual(registered.sort());
  });

  it('ER-14: every routed path answers OPTIONS and its other methods at the gateway, calling no function', () => {
    const paths = [...new Set(ENTRIES.flatMap(([, api]) => api.paths))];
    const answered = methods.filter((m) => m.answeredByGateway).map((m) => m.route);
    expect(answered.sort()).toEqual(paths.flatMap((path) => [`ANY ${path}`, `OPTIONS ${path}`]).sort());
  });
});

describe('the API registry: every entry in the local API', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api?.close());

  const routes = ENTRIES.flatMap(([id, entry]) => routesOf(entry).map(({ method, path }) => ({ id, entry, method, path })));

  it.each(routes)('$method $path ($id): routed to a handler, which authenticates first (ER-8)', async ({ method, path }) => {
    const response = await call(api, method, concrete(path));
    expect(response.status).toBe(401);
    if (method !== 'HEAD') expect(response.body.error.type).toBe('security_exception');
  });

  // `reader` holds `monitor` only: each API refuses it for an action its entry names, unless that privilege grants
  // it, or refuses the request by its own validation first (a body that is missing, empty or not expected).
  it.each(routes)('$method $path ($id): authorized for its entry’s privilege (ER-10)', async ({ entry, method, path }) => {
    const body = method === 'PUT' || method === 'POST' ? {} : undefined;
    const response = await call(api, method, concrete(path), { auth: USERS.reader, body });
    const [first] = entry.privileges;
    if (first.everyUser || first.grantedBy.includes('monitor')) {
      // Authorized: answered, or refused by the API itself (SAML metadata for a realm this service has not; has
      // privileges for a probe that asks about no privilege).
      if (response.status === 400)
        return expect(response.body.error.reason).toMatch(
          /^(Cannot find any matching realm for \[registry-probe\]|request body is required|failed to parse privileges check \[(reader|registry-probe)\]\. All privilege fields)/,
        );
      return expect(response.status).toBe(200);
    }
    if (response.status === 400) return expect(response.text).not.toContain('no handler found');
    expect(response.status).toBe(403);
    const refused = /^action \[([^\]]+)\] is unauthorized/.exec(response.body.error.reason)?.[1];
    expect(entry.privileges.map((action) => action.name)).toContain(refused);
  });
});

describe('the API registry: every entry in the README', () => {
  it("the README's API table is the registry's (npm run api-table writes it)", () => {
    expect(readmeApiTable()).toBe(apiTable());
    for (const [, entry] of ENTRIES) expect(readmeApiTable()).toContain(`| ${entry.title} |`);
  });
});
