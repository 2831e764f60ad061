import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { ApiEntry } from '../../functions/api/api-entry';
import { APIS } from '../../functions/api/registry';
import { LAYER_MODULES } from '../../infra/library-layer';
import { ON_DEMAND_LIBRARY_MODULES } from '../../infra/on-demand-library-layer';
import { STACK_NAME } from '../../infra/service-app';
import { type DeployedRealms, writeDeployedRealms } from '../support/deployed-realms';
import {
  createRoleMappingsTable,
  createRolesTable,
  createTokensTable,
  createUsersTable,
  scanAll,
  testClients,
  testEndpoint,
} from '../support/dynamodb';
import { type FakeEventBridge, startFakeEventBridge } from '../support/fake-eventbridge';
import { type FakeSecretsManager, startFakeSecretsManager } from '../support/fake-secrets-manager';
import { lambdaEnvironment } from '../support/lambda-environment';
import { browserLogin as oidcBrowserLogin } from '../support/oidc-provider';
import { KIBANA_OIDC_CALLBACK } from '../support/realm-settings';
import { browserLogin as samlBrowserLogin } from '../support/saml-idp';
import { recordSamlResponse } from '../support/saml-messages';

/**
 * What is deployed is what was tested: `cdk synth` (the CLI, with cdk-nag, offline) writes the cloud
 * assembly `cdk deploy` would upload, and the bundled handlers found in it answer real requests against
 * DynamoDB Local, each in a plain Node process started with the function's environment from the template.
 * One synthesis for the whole file, of a config directory with the file realm, three OpenID Connect realms and
 * a SAML realm trusting the loopback identity providers.
 */

const ROOT = join(__dirname, '..', '..');
const CDK_CLI = join(ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');
const RUNTIME = join(ROOT, 'test', 'support', 'lambda-runtime.cjs');
const SAM_LOCAL = join(ROOT, 'infra', 'sam-local');

const ELASTIC_PASSWORD = 'changeme'; // the password of the committed sam local files
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:elastic-password-AbCdEf';
const SECURE_SETTINGS_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:secure-settings-AbCdEf';

type TemplateResource = {
  Type: string;
  Properties: {
    MemorySize: number;
    Handler: string;
    Environment: { Variables: Record<string, unknown> };
    Layers?: { Ref: string }[];
  };
  Metadata: Record<string, string | boolean>;
};

interface Invocation {
  readonly results: { requestId: string; response: APIGatewayProxyResult }[];
  readonly output: string;
}

let outdir: string;
let resources: Record<string, TemplateResource>;
let realms: DeployedRealms;

/** The asset of the config directory's layer (infra/config-directory-layer.ts), by its construct path. */
function layerAsset(): string {
  const layers = Object.values(resources).filter(
    (r) => r.Type === 'AWS::Lambda::LayerVersion' && String(r.Metadata['aws:cdk:path']).startsWith(`${STACK_NAME}/FileRealm/`),
  );
  if (layers.length !== 1) throw new Error(`${layers.length} config directory layers in the template`);
  return String(layers[0]?.Metadata['aws:asset:path']);
}

/** The asset directories of a function's layers, as Lambda mounts them at /opt. */
function layersOf(fn: TemplateResource): string[] {
  return (fn.Properties.Layers ?? []).map(({ Ref }) => join(outdir, String(resources[Ref]?.Metadata['aws:asset:path'])));
}

function functionResource(name: string): TemplateResource {
  const found = Object.values(resources).find((r) => r.Metadata?.['aws:cdk:path'] === `${STACK_NAME}/${name}/Resource`);
  if (found === undefined) throw new Error(`no function ${name} in the template`);
  return found;
}

/** One cold start of a bundled function from the cloud assembly, invoked once per event. */
async function invokeBundle(name: string, events: unknown[], resolved: Record<string, string>): Promise<Invocation> {
  const fn = functionResource(name);
  const assetDir = join(outdir, String(fn.Metadata['aws:asset:path']));
  const eventsFile = join(outdir, `${name}-events.json`);
  writeFileSync(eventsFile, JSON.stringify(events));
  // Started from the asset directory, outside the project: nothing can be resolved from its node_modules.
  const child = spawn(process.execPath, [RUNTIME, join(assetDir, 'index.js'), eventsFile], {
    cwd: assetDir,
    env: lambdaEnvironment(
      { name, memorySize: fn.Properties.MemorySize, variables: fn.Properties.Environment.Variables, layers: layersOf(fn) },
      resolved,
    ),
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let results = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stdio[3]?.on('data', (chunk) => {
    results += String(chunk);
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`${name} exited with ${code}: ${output}`);
  return { results: JSON.parse(results), output };
}

function proxyEvent(
  template: APIGatewayProxyEvent,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: unknown,
): APIGatewayProxyEvent {
  return {
    ...template,
    httpMethod: method,
    path,
    resource: path,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    body: body === undefined ? null : JSON.stringify(body),
    requestContext: { ...template.requestContext, httpMethod: method, resourcePath: path, path: `/prod${path}` },
  };
}

const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** The JSON lines a process wrote: Powertools log lines and EMF metric blobs. */
function jsonLines(output: string): Record<string, unknown>[] {
  return output.split('\n').flatMap((line) => {
    try {
      const parsed = JSON.parse(line);
      return typeof parsed === 'object' && parsed !== null ? [parsed] : [];
    } catch {
      return [];
    }
  });
}

/** Sum of each metric over the EMF blobs, with the namespaces they were published to. */
function metricTotals(lines: Record<string, unknown>[]) {
  const totals: Record<string, number> = {};
  const namespaces = new Set<string>();
  for (const line of lines) {
    const aws = line._aws as { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] } | undefined;
    for (const directive of aws?.CloudWatchMetrics ?? []) {
      namespaces.add(directive.Namespace);
      for (const { Name } of directive.Metrics) totals[Name] = (totals[Name] ?? 0) + Number(line[Name]);
    }
  }
  return { totals, namespaces: [...namespaces] };
}

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'cdk-out-'));
  realms = await writeDeployedRealms();
  // The README's `npx cdk synth`, run by the CLI itself: it fails on any cdk-nag finding not acknowledged.
  const synth = ['synth', '--quiet', '--no-notices', '--output', outdir, '-c', `esPathConf=${realms.directory}`];
  await promisify(execFile)(process.execPath, [CDK_CLI, ...synth], {
    cwd: ROOT,
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
    // 24 bundles: about 20 s on a quiet machine; test files run in parallel workers, so leave room for a busy one.
    timeout: 300_000,
  });
  resources = JSON.parse(readFileSync(join(outdir, `${STACK_NAME}.template.json`), 'utf8')).Resources;
}, 330_000);

afterAll(async () => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
  await realms?.stop();
});

describe('cdk synth', () => {
  it('passes the AwsSolutions checks, bundles each function small with its source map, and keeps the asset metadata sam local reads', () => {
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.filter((r: { conclusion: string }) => r.conclusion !== 'success')).toEqual([]);
    const functions = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      expect(fn.Metadata).toMatchObject({ 'aws:asset:property': 'Code', 'aws:asset:is-bundled': true });
      const asset = join(outdir, String(fn.Metadata['aws:asset:path']));
      expect(existsSync(join(asset, 'index.js.map'))).toBe(true);
      // Minified and tree-shaken, the AWS SDK included: a few hundred KB. A bundle past 1 MB has pulled in
      // something whole (an SDK's CommonJS build, an unused dependency) and costs every cold start. The SAML
      // functions' SP library and XML security stack are in their layer (infra/saml-library-layer.ts).
      expect(statSync(join(asset, 'index.js')).size).toBeLessThan(1_000_000);
      expect(fn.Properties.Handler).toBe('index.handler');
    }
  });
});

/**
 * The packages a bundle requires at run time instead of holding them: those of the layers it carries, and the
 * AWS SDK's optional ones it tries and does without (`@aws-sdk/signature-v4-crt`).
 */
function requiredPackages(asset: string): Set<string> {
  const code = readFileSync(join(asset, 'index.js'), 'utf8');
  const required = [...code.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1] as string);
  return new Set(required.filter((name) => !name.startsWith('node:') && !builtinModules.includes(name)));
}

/** The packages a bundle holds, by its source map: `@aws-sdk/client-lambda`, `jose`, ... */
function bundledPackages(asset: string): Set<string> {
  const { sources } = JSON.parse(readFileSync(join(asset, 'index.js.map'), 'utf8')) as { sources: string[] };
  return new Set(sources.flatMap((source) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source)?.[1] ?? []));
}

describe('what each function bundles (contents, not sizes)', () => {
  const SAML_LIBRARIES = ['@node-saml/node-saml', '@xmldom/xmldom'];
  const TRACER = ['aws-xray-sdk-core', '@aws-lambda-powertools/tracer'];

  it('holds only the parts its API runs: SAML libraries in the SAML functions only, jose in single sign-on only, the Lambda client and bcryptjs in no bundle (the functions that continue sweeps require the client from a layer), no EventBridge client outside the functions that invalidate, no X-Ray SDK with tracing off', () => {
    const checked = Object.values(APIS).map((api: ApiEntry) => {
      const asset = Object.values(resources)
        .filter((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['aws:asset:path'] !== undefined)
        .map((r) => join(outdir, String(r.Metadata['aws:asset:path'])))
        .find((dir) => readFileSync(join(dir, 'index.js.map'), 'utf8').includes(api.handler));
      if (asset === undefined) throw new Error(`no bundle holds ${api.handler}`);
      const packages = bundledPackages(asset);
      const required = requiredPackages(asset);
      const sso = /\/(oidc|saml)-/.test(api.handler);
      const saml = /\/saml-/.test(api.handler);
      return {
        handler: api.handler,
        sso: [...(saml ? [] : SAML_LIBRARIES), ...(sso ? [] : ['jose'])].filter(
          (name) => packages.has(name) || required.has(name),
        ),
        // Held by no bundle: the SAML functions require them from their layer (infra/saml-library-layer.ts).
        bundlesSaml: SAML_LIBRARIES.filter((name) => packages.has(name)),
        requiresSaml: SAML_LIBRARIES.every((name) => required.has(name)),
        // Held by no bundle: required from the on-demand layer (infra/on-demand-library-layer.ts), the Lambda
        // client by the functions that continue sweeps only.
        lambda: ['@aws-sdk/client-lambda'].filter(
          (name) => packages.has(name) || (api.invokesItself !== true && required.has(name)),
        ),
        bundlesOnDemand: ON_DEMAND_LIBRARY_MODULES.filter((name) => packages.has(name)),
        eventBridge:
          api.announcesRevocations === true ? [] : ['@aws-sdk/client-eventbridge'].filter((name) => packages.has(name)),
        carriesEventBridgeClient: packages.has('@aws-sdk/client-eventbridge'),
        tracer: TRACER.filter((name) => packages.has(name)),
        yaml: sso ? [] : ['yaml'].filter((name) => packages.has(name)),
        requiresLambdaClient: required.has('@aws-sdk/client-lambda'),
        requiresBcrypt: required.has('bcryptjs'),
      };
    });
    expect(
      checked.filter(
        (c) =>
          c.sso.length +
            c.lambda.length +
            c.eventBridge.length +
            c.tracer.length +
            c.yaml.length +
            c.bundlesSaml.length +
            c.bundlesOnDemand.length >
          0,
      ),
    ).toEqual([]);
    // The check reads what it means to: the invalidation function does require the Lambda client, and every
    // function bcryptjs (any API may be called with a password).
    const invalidation = checked.find((c) => c.handler === APIS.invalidateToken.handler);
    expect(invalidation?.requiresLambdaClient).toBe(true);
    expect(checked.every((c) => c.requiresBcrypt)).toBe(true);
    expect(invalidation?.carriesEventBridgeClient).toBe(true);
    expect(checked.find((c) => c.handler === APIS.samlAuthenticate.handler)?.requiresSaml).toBe(true);
  });

  it('gives each function that requires a library no bundle holds a layer holding it at the path it requires', () => {
    const functions = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    const layered = [...SAML_LIBRARIES, ...ON_DEMAND_LIBRARY_MODULES];
    const requirements = functions.map((fn) => {
      const required = requiredPackages(join(outdir, String(fn.Metadata['aws:asset:path'])));
      return { fn, names: layered.filter((name) => required.has(name)) };
    });
    expect(requirements.filter(({ names }) => SAML_LIBRARIES.some((name) => names.includes(name))).length).toBe(6);
    for (const { fn, names } of requirements) {
      for (const name of names) {
        const resolved = layersOf(fn).map((layer) => {
          try {
            return require.resolve(name, { paths: [join(layer, LAYER_MODULES)] });
          } catch {
            return undefined;
          }
        });
        expect(resolved.find((path) => path?.startsWith(outdir))).toBeDefined();
      }
    }
  });

  it('carries the registry entries of the handler modules it holds and no other: never the whole registry', () => {
    const assets = Object.values(resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['aws:asset:path'] !== undefined)
      .map((r) => join(outdir, String(r.Metadata['aws:asset:path'])));
    const apis = Object.values(APIS) as ApiEntry[];
    const entries = assets.map((asset) => {
      const { sources } = JSON.parse(readFileSync(join(asset, 'index.js.map'), 'utf8')) as { sources: string[] };
      const code = readFileSync(join(asset, 'index.js'), 'utf8');
      return {
        carried: apis.filter((api) => code.includes(`title:${JSON.stringify(api.title)}`)).map((api) => api.title),
        held: apis.filter((api) => sources.some((source) => source.endsWith(api.handler))).map((api) => api.title),
      };
    });
    expect(entries.filter(({ carried, held }) => carried.join() !== held.join())).toEqual([]);
    // The check reads what it means to: every function holds its own handler's entry.
    expect(entries.every(({ held }) => held.length > 0)).toBe(true);
  });
});

describe('the bundled functions of the cloud assembly', () => {
  let secretsManager: FakeSecretsManager;
  let eventBridge: FakeEventBridge;
  let tokensTable: string;
  let usersTable: string;
  let rolesTable: string;
  let roleMappingsTable: string;

  beforeAll(async () => {
    secretsManager = await startFakeSecretsManager({
      [SECRET_ARN]: ELASTIC_PASSWORD,
      [SECURE_SETTINGS_ARN]: JSON.stringify(realms.secureSettings),
    });
    eventBridge = await startFakeEventBridge();
    tokensTable = await createTokensTable(testClients().client);
    usersTable = await createUsersTable(testClients().client);
    rolesTable = await createRolesTable(testClients().client);
    roleMappingsTable = await createRoleMappingsTable(testClients().client);
  });
  afterAll(async () => {
    await secretsManager.close();
    await eventBridge.close();
  });

  /** The environment the stack gives the functions, resolved to this test's tables and fakes. */
  const environment = () => ({
    TOKENS_TABLE: tokensTable,
    USERS_TABLE: usersTable,
    ROLES_TABLE: rolesTable,
    ROLE_MAPPINGS_TABLE: roleMappingsTable,
    ELASTIC_PASSWORD_SECRET_ARN: SECRET_ARN,
    ES_SECURE_SETTINGS_SECRET_ARN: SECURE_SETTINGS_ARN,
    // The config directory's layer, where a function finds it mounted in /opt.
    ES_PATH_CONF: join(outdir, layerAsset(), 'es-config'),
    DYNAMODB_ENDPOINT: testEndpoint(),
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
    // The stack's revocation events go to the account's default bus: here, a loopback one.
    AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
  });

  it('issue and authenticate tokens against DynamoDB Local, read the elastic password once, log and count without secrets', async () => {
    const resolved = environment();
    // The sam local example event (client_credentials as elastic), a password grant, and a wrong password.
    const samEvent = JSON.parse(readFileSync(join(SAM_LOCAL, 'events', 'get-token.json'), 'utf8')) as APIGatewayProxyEvent;
    const tokenPath = '/_security/oauth2/token';
    const getToken = await invokeBundle(
      'GetTokenFunction',
      [
        samEvent,
        proxyEvent(
          samEvent,
          'POST',
          tokenPath,
          { Authorization: basic('elastic', ELASTIC_PASSWORD), 'Content-Type': 'application/json' },
          { grant_type: 'password', username: 'elastic', password: ELASTIC_PASSWORD },
        ),
        proxyEvent(
          samEvent,
          'POST',
          tokenPath,
          { Authorization: basic('elastic', 'not-the-password'), 'Content-Type': 'application/json' },
          { grant_type: 'client_credentials' },
        ),
      ],
      resolved,
    );
    const [clientCredentials, password, wrongPassword] = getToken.results.map(({ response }) => response);
    expect(clientCredentials?.statusCode).toBe(200);
    expect(password?.statusCode).toBe(200);
    expect(password?.headers).toMatchObject({ 'x-elastic-product': 'Elasticsearch' });
    expect(wrongPassword?.statusCode).toBe(401);
    expect(JSON.parse(wrongPassword?.body ?? '{}').error.type).toBe('security_exception');
    // Three Basic authentications as elastic in one cold start: one read of the secret.
    expect(secretsManager.reads).toEqual([SECRET_ARN]);

    const issued = JSON.parse(password?.body ?? '{}');
    const authenticate = await invokeBundle(
      'AuthenticateFunction',
      [proxyEvent(samEvent, 'GET', '/_security/_authenticate', { Authorization: `Bearer ${issued.access_token}` }, undefined)],
      resolved,
    );
    const [me] = authenticate.results.map(({ response }) => response);
    expect(me?.statusCode).toBe(200);
    expect(JSON.parse(me?.body ?? '{}')).toMatchObject({ username: 'elastic', authentication_type: 'token' });
    // A Bearer token needs no password: this cold start never read the secret.
    expect(secretsManager.reads).toHaveLength(1);
    expect(await scanAll(testClients().documents, tokensTable)).toHaveLength(2);

    // Logs: JSON, one request line per invocation carrying the Lambda request id; metrics in EMF.
    const lines = jsonLines(getToken.output);
    const requestLines = lines.filter((line) => line.message === 'request');
    expect(requestLines.map((line) => [line.function_request_id, line.status])).toEqual([
      [getToken.results[0]?.requestId, 200],
      [getToken.results[1]?.requestId, 200],
      [getToken.results[2]?.requestId, 401],
    ]);
    expect(requestLines.map((line) => line.cold_start)).toEqual([true, false, false]);
    for (const line of requestLines) expect(line.correlation_id).toBe(samEvent.requestContext.requestId);
    expect(metricTotals(lines)).toEqual({
      totals: { ColdStart: 1, TokensIssued: 2, FailedAuthentications: 1 },
      namespaces: ['EsTokenService'],
    });
    const secrets = [ELASTIC_PASSWORD, 'not-the-password', issued.access_token, issued.refresh_token];
    secrets.push(JSON.parse(clientCredentials?.body ?? '{}').access_token, samEvent.headers.Authorization?.split(' ')[1]);
    for (const output of [getToken.output, authenticate.output]) {
      for (const secret of secrets) expect(output).not.toContain(secret);
    }
  });

  it('ER-13: read a body as API Gateway passes it under the binary media types, base64 as sent, and refuse one that is not UTF-8', async () => {
    const samEvent = JSON.parse(readFileSync(join(SAM_LOCAL, 'events', 'get-token.json'), 'utf8')) as APIGatewayProxyEvent;
    const asSent = (body: Buffer): APIGatewayProxyEvent => ({
      ...samEvent,
      body: body.toString('base64'),
      isBase64Encoded: true,
    });
    const notUtf8 = Buffer.concat([Buffer.from('{"grant_type":"client_'), Buffer.from([0xff]), Buffer.from('"}')]);
    const { results } = await invokeBundle(
      'GetTokenFunction',
      [asSent(Buffer.from('{"grant_type":"client_credentials"}')), asSent(notUtf8)],
      environment(),
    );
    const [base64, refused] = results.map(({ response }) => response);
    expect(base64?.statusCode).toBe(200);
    expect(refused?.statusCode).toBe(400);
    expect(JSON.parse(refused?.body ?? '{}').error).toMatchObject({
      type: 'x_content_parse_exception',
      reason: '[1:23] Invalid UTF-8 start byte 0xff',
    });
  });

  describe('single sign-on, deployed', () => {
    const elastic = { Authorization: basic('elastic', ELASTIC_PASSWORD), 'Content-Type': 'application/json' };
    let template: APIGatewayProxyEvent;
    const post = (path: string, body: unknown) => proxyEvent(template, 'POST', path, elastic, body);
    const bearer = (token: string) =>
      proxyEvent(template, 'GET', '/_security/_authenticate', { Authorization: `Bearer ${token}` }, undefined);
    const answers = async (name: string, events: unknown[]) =>
      (await invokeBundle(name, events, environment())).results.map(({ response }) => ({
        status: response.statusCode,
        body: JSON.parse(response.body),
      }));

    beforeAll(() => {
      template = JSON.parse(readFileSync(join(SAM_LOCAL, 'events', 'get-token.json'), 'utf8')) as APIGatewayProxyEvent;
    });

    it('the realm settings (over the 4 KB of a function environment) and the files they name travel in the layer, the private key never', () => {
      const layer = join(outdir, layerAsset(), 'es-config');
      const settings = readFileSync(join(layer, 'realm-settings.json'), 'utf8');
      expect(settings.length).toBeGreaterThan(4096);
      expect(Object.keys(JSON.parse(settings)).filter((key) => key.endsWith('.key'))).toEqual([]);
      const key = realms.secureSettings['xpack.security.authc.realms.saml.saml1.signing.key'] as string;
      const keyBody = key.split('\n')[1] as string;
      const everything = [...Object.values(resources).map((r) => JSON.stringify(r)), settings];
      for (const text of everything) expect(text).not.toContain(keyBody);
      for (const fn of Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function')) {
        expect(fn.Properties.Environment.Variables.ES_SETTINGS).toBeUndefined();
      }
    });

    it('SAML-A-1, OIDC-A-1: log users in through SAML and OpenID Connect, use the tokens, invalidate the SAML realm by user and by realm', async () => {
      const prepared = await answers('SamlPrepareFunction', [
        post('/_security/saml/prepare', { realm: 'saml1' }),
        post('/_security/saml/prepare', { realm: 'saml1' }),
      ]);
      expect(prepared.map((p) => p.status)).toEqual([200, 200]);
      const logins = ['myuser', 'otheruser'];
      const contents = await Promise.all(
        prepared.map(async (p, i) => recordSamlResponse(await samlBrowserLogin(p.body.redirect, logins[i] as string))),
      );
      const samlPairs = await answers(
        'SamlAuthenticateFunction',
        contents.map((content, i) =>
          post('/_security/saml/authenticate', { content, ids: [prepared[i]?.body.id], realm: 'saml1' }),
        ),
      );
      expect(samlPairs.map((p) => [p.status, p.body.username])).toEqual([
        [200, 'myuser'],
        [200, 'otheruser'],
      ]);

      const oidcPrepared = await answers('OidcPrepareFunction', [post('/_security/oidc/prepare', { realm: 'oidc3' })]);
      const redirect_uri = await oidcBrowserLogin(oidcPrepared[0]?.body.redirect, 'myuser', KIBANA_OIDC_CALLBACK);
      const { state, nonce } = oidcPrepared[0]?.body ?? {};
      const [oidcPair] = await answers('OidcAuthenticateFunction', [
        post('/_security/oidc/authenticate', { redirect_uri, state, nonce, realm: 'oidc3' }),
      ]);
      expect(oidcPair?.status).toBe(200);

      const tokens = [...samlPairs, oidcPair].map((p) => p?.body.access_token as string);
      const me = await answers('AuthenticateFunction', tokens.map(bearer));
      expect(me.map((m) => [m.status, m.body.username, m.body.authentication_realm?.name])).toEqual([
        [200, 'myuser', 'saml1'],
        [200, 'otheruser', 'saml1'],
        [200, 'myuser', 'oidc3'],
      ]);

      const invalidated = await answers('InvalidateTokenFunction', [
        proxyEvent(template, 'DELETE', '/_security/oauth2/token', elastic, { username: 'myuser', realm_name: 'saml1' }),
        proxyEvent(template, 'DELETE', '/_security/oauth2/token', elastic, { realm_name: 'saml1' }),
      ]);
      // myuser's pair, then the realm's other one (otheruser's): the OpenID Connect pair is another realm's.
      expect(invalidated.map((i) => [i.status, i.body.invalidated_tokens, i.body.error_count])).toEqual([
        [200, 2, 0],
        [200, 2, 0],
      ]);
      const after = await answers('AuthenticateFunction', tokens.map(bearer));
      expect(after.map((m) => m.status)).toEqual([401, 401, 200]);
      // Each invalidation announced on the default bus, by the bundled EventBridge client.
      expect(eventBridge.entries.map((entry) => [entry.EventBusName, JSON.parse(entry.Detail).scope])).toEqual([
        ['default', { type: 'realm_or_user', realm: 'saml1', username: 'myuser' }],
        ['default', { type: 'realm_or_user', realm: 'saml1' }],
      ]);
    });
  });
});
