import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Authentication } from '../../functions/security/authc/authentication';
import { BCRYPT_COST, hashPassword } from '../../functions/security/authc/passwords/bcrypt';
import { TOKENS_TABLE } from '../../functions/store/tables';
import { createRoleMappingsTable, createRolesTable, createUsersTable } from '../support/dynamodb';
import { startFakeEventBridge } from '../support/fake-eventbridge';
import { startFakeSecretsManager } from '../support/fake-secrets-manager';
import { lambdaEnvironment } from '../support/lambda-environment';
import { authenticatedUser, ELASTIC_CLIENT } from '../support/test-users';
import { buildFloor, topContributors } from './bundle-build';
import { type AssemblyFunction, cloudAssembly } from './cloud-assembly';
import { type BenchEnvironment, mintPairs, seed, userOf } from './fixtures';
import { basic, bearer, proxyEvent, type Request } from './lambda';
import { median } from './load';
import type { BenchOptions } from './options';

const RESULT_MARK = 'BENCH_COLD_START ';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:elastic-password-BeNcH1';

/**
 * Runs in a fresh Node process, as the Lambda runtime does: loads the bundle (the AWS SDK is in it), then
 * answers two requests. `startupMs` is the time from the process's start to the first line of this script.
 */
const PROBE = `
const startupMs = performance.now();
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  const { bundle, events, functionName } = JSON.parse(input);
  const context = { functionName, awsRequestId: 'cold-start', getRemainingTimeInMillis: () => 29000, callbackWaitsForEmptyEventLoop: false };
  const t0 = performance.now();
  const { handler } = require(bundle);
  const t1 = performance.now();
  const first = await handler(events[0], context);
  const t2 = performance.now();
  const second = await handler(events[1], context);
  const t3 = performance.now();
  process.stdout.write('\\n${RESULT_MARK}' + JSON.stringify({
    startupMs, bundleLoadMs: t1 - t0, firstRequestMs: t2 - t1, secondRequestMs: t3 - t2,
    statuses: [first.statusCode, second.statusCode],
  }) + '\\n');
});
`;

interface ProbeResult {
  readonly startupMs: number;
  readonly bundleLoadMs: number;
  readonly firstRequestMs: number;
  readonly secondRequestMs: number;
  readonly statuses: readonly number[];
}

export interface ColdStartResult {
  /** The construct name in the template (`GetTokenFunction`). */
  readonly functionName: string;
  /** The asset directory in the cloud assembly. */
  readonly asset: string;
  readonly bundleBytes: number;
  readonly sourceMapBytes: number;
  /** Fresh processes measured; 0 for a function whose size only is reported. */
  readonly runs: number;
  /** Medians over the runs, with the template's NODE_OPTIONS (source maps enabled). */
  readonly startupMs?: number;
  /** The bundle, the AWS SDK in it: everything before the handler can run. */
  readonly bundleLoadMs?: number;
  readonly firstRequestMs?: number;
  readonly secondRequestMs?: number;
  /** Median load of the bundle without `--enable-source-maps`. */
  readonly bundleLoadWithoutSourceMapsMs?: number;
  /** Median, over the runs, of the bundle's load plus its first request: what a cold caller waits for. */
  readonly loadAndFirstRequestMs?: number;
  /** `loadAndFirstRequestMs` over the floor's (bundle-build.ts), measured in the same run. */
  readonly floorRatio?: number;
  /** The largest contributors to the bundle (esbuild's metafile), in bytes of output. */
  readonly topContributors?: readonly [string, number][];
  /**
   * Set on a row that measures a function again with a request doing more work than starting does (a
   * password checked by bcrypt): shown beside the others, left out of the targets.
   */
  readonly variant?: string;
}

/** The floor's name in the results: a bare DynamoDB function (bundle-build.ts). */
export const FLOOR = 'Floor (DynamoDBDocumentClient, one GetItem)';

/** The reference floors' (bundle-build.ts): shown beside the functions, left out of the targets. */
const STORAGE_FLOORS = {
  none: "authenticate's storage call, one BatchGetItem of four items (reference)",
  put: "get token's storage calls, one BatchGetItem of four items and one PutItem (reference)",
  update: "the invalidation's storage calls, one BatchGetItem of four items and one UpdateItem (reference)",
} as const;

/** The reference floors' name: every result named so is left out of the targets, as the floor is. */
export const FLOOR_CLIENT = "Floor's client";

/**
 * The bundle and its source map, copied out of the project: a bundle that still required a package would
 * fail here, as on Lambda, instead of finding it in the project's node_modules.
 */
function isolate(fn: AssemblyFunction, directory: string): string {
  const target = join(directory, fn.name);
  mkdirSync(target, { recursive: true });
  for (const file of ['index.js', 'index.js.map']) {
    if (existsSync(join(fn.assetDirectory, file))) copyFileSync(join(fn.assetDirectory, file), join(target, file));
  }
  return target;
}

function probe(
  bundleDirectory: string,
  functionName: string,
  events: readonly unknown[],
  env: Record<string, string>,
  accepts: (status: number) => boolean,
) {
  return new Promise<ProbeResult>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', PROBE], { cwd: bundleDirectory, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      errors += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const line = output.split('\n').find((l) => l.startsWith(RESULT_MARK));
      if (line === undefined) {
        return reject(
          new Error(`cold-start probe of ${functionName} exited with ${code} and no result: ${errors.slice(0, 2000)}`),
        );
      }
      const result = JSON.parse(line.slice(RESULT_MARK.length)) as ProbeResult;
      if (!result.statuses.every(accepts)) {
        return reject(new Error(`cold-start probe of ${functionName} answered ${result.statuses.join(', ')}`));
      }
      resolve(result);
    });
    // The events (they carry a token) go through the pipe only: never a file, never a log.
    child.stdin.end(JSON.stringify({ bundle: join(bundleDirectory, 'index.js'), events, functionName }));
  });
}

type RequestsFor = (run: number) => Request[];

/**
 * The other functions, cold, each answering a request it refuses after authenticating the caller (an unknown
 * name, an unknown realm): the same load, pipeline, authentication and storage set-up as an accepted one,
 * without a fixture for every API (a deployment without SSO realms refuses every SSO request).
 */
function refusedRequests({ superuser, passwordHash }: ColdStartCallers): Record<string, Request> {
  const post = (path: string, body: unknown): Request => ({ method: 'POST', path, authorization: superuser, body });
  const absent = '/_security/user/bench_absent';
  return {
    DeleteUserFunction: { method: 'DELETE', path: absent, authorization: superuser },
    DeleteRoleFunction: { method: 'DELETE', path: '/_security/role/bench_absent', authorization: superuser },
    DeleteRoleMappingFunction: { method: 'DELETE', path: '/_security/role_mapping/bench_absent', authorization: superuser },
    SetUserEnabledFunction: post(`${absent}/_enable`, undefined),
    ChangePasswordFunction: post(`${absent}/_password`, { password_hash: passwordHash }),
    OidcPrepareFunction: post('/_security/oidc/prepare', { realm: 'bench_absent' }),
    OidcAuthenticateFunction: post('/_security/oidc/authenticate', {
      redirect_uri: 'https://rp.example/cb?code=x&state=s',
      state: 's',
      nonce: 'n',
      realm: 'bench_absent',
    }),
    OidcLogoutFunction: post('/_security/oidc/logout', { token: 'bench_absent' }),
    SamlPrepareFunction: post('/_security/saml/prepare', { realm: 'bench_absent' }),
    SamlAuthenticateFunction: post('/_security/saml/authenticate', { content: 'PA==', ids: [], realm: 'bench_absent' }),
    SamlLogoutFunction: post('/_security/saml/logout', { token: 'bench_absent' }),
    SamlInvalidateFunction: post('/_security/saml/invalidate', { query_string: 'SAMLRequest=x', realm: 'bench_absent' }),
    SamlCompleteLogoutFunction: post('/_security/saml/complete_logout', {
      realm: 'bench_absent',
      ids: ['x'],
      query_string: 'SAMLResponse=x',
    }),
    SamlMetadataFunction: { method: 'GET', path: '/_security/saml/metadata/bench_absent', authorization: superuser },
  };
}
/** The events of a run's two invocations. */
type EventsFor = (run: number) => unknown[];

const asEvents =
  (requestsFor: RequestsFor): EventsFor =>
  (run) =>
    requestsFor(run).map((request) => proxyEvent(request).event);

/** The access token of the reserved superuser, as `elastic` would hold after a password grant. */
function superuserOf(): Authentication {
  return authenticatedUser('elastic', { name: 'reserved', type: 'reserved' }, { roles: ['superuser'] });
}

interface ColdStartCallers {
  /**
   * A bcrypt hash of a random password for put user's and change password's `password_hash`: the request
   * stores it and hashes nothing, as an administration tool that hashes on its side does.
   */
  readonly passwordHash: string;
  /** Every measured request's caller: a Bearer token of the superuser, as most calls to a token service are. */
  readonly superuser: string;
  /** `elastic` by Basic: its password checked by bcrypt (cost 10), measured as a variant only. */
  readonly elasticByPassword: string;
}

/**
 * The first and second request of each measured function. The token APIs, the info API and the read APIs of
 * the native realm and role mappings, and their puts; the other user, role and single sign-on functions
 * answer a request refused after authentication (refusedRequests).
 *
 * Every caller is authenticated by an access token: a password check is one bcrypt operation (cost 10, about
 * 85 ms on the machines measured, more than the floor's whole cold start) that a warm function pays as much
 * as a cold one, so it would hide what the issue measures, what a function loads and builds before it can
 * answer. The variant rows measure get token again with `elastic` by Basic, to show that cost beside it.
 */
async function coldStartRequests(
  env: BenchEnvironment,
  table: string,
  runs: number,
): Promise<{ callers: ColdStartCallers; requests: Record<string, RequestsFor> }> {
  // Two access tokens per run for the invalidation function (each is used up), one for authenticate, and
  // the superuser's (the last).
  const count = 2 * runs + 2;
  const pairs = await mintPairs(
    count,
    (n) => ({
      authentication: n === count - 1 ? superuserOf() : userOf(env.users.fileUser.username, 'default_file'),
      client: ELASTIC_CLIENT,
      withRefreshToken: true,
    }),
    env.config(table),
  );
  await seed(
    env.documents,
    table,
    pairs.map((pair) => pair.item),
  );
  const accessTokens = pairs.map((pair) => pair.tokens.accessToken);
  const callers = {
    passwordHash: await hashPassword(randomBytes(18).toString('base64url'), BCRYPT_COST),
    superuser: bearer(accessTokens[count - 1] as string),
    elasticByPassword: basic(env.users.elastic.username, env.users.elastic.password),
  };
  const superuser = callers.superuser;
  const twice = (request: Request) => () => [request, request];
  const requests: Record<string, RequestsFor> = {
    GetTokenFunction: twice({
      method: 'POST',
      path: '/_security/oauth2/token',
      authorization: superuser,
      body: { grant_type: 'client_credentials' },
    }),
    AuthenticateFunction: twice({
      method: 'GET',
      path: '/_security/_authenticate',
      authorization: bearer(accessTokens[2 * runs] as string),
    }),
    InvalidateTokenFunction: (run) =>
      [0, 1].map((i) => ({
        method: 'DELETE',
        path: '/_security/oauth2/token',
        authorization: superuser,
        body: { token: accessTokens[2 * run + i] as string },
      })),
    InfoFunction: twice({ method: 'GET', path: '/', authorization: superuser }),
    GetUsersFunction: twice({ method: 'GET', path: '/_security/user', authorization: superuser }),
    GetRolesFunction: twice({ method: 'GET', path: '/_security/role', authorization: superuser }),
    GetRoleMappingsFunction: twice({ method: 'GET', path: '/_security/role_mapping', authorization: superuser }),
    // Writes that answer 200 again when repeated: an update of the same user, role or mapping.
    PutUserFunction: twice({
      method: 'POST',
      path: '/_security/user/bench_native',
      authorization: superuser,
      body: { password_hash: callers.passwordHash, roles: ['viewer'] },
    }),
    PutRoleFunction: twice({
      method: 'POST',
      path: '/_security/role/bench_role',
      authorization: superuser,
      body: { cluster: [] },
    }),
    PutRoleMappingFunction: twice({
      method: 'POST',
      path: '/_security/role_mapping/bench_mapping',
      authorization: superuser,
      body: { roles: ['viewer'], enabled: true, rules: { field: { username: '*' } } },
    }),
  };
  return { callers, requests };
}

/** The variant rows: functions measured again with a caller whose password is checked by bcrypt. */
function passwordCallerVariants(callers: ColdStartCallers): Record<string, RequestsFor> {
  const request: Request = {
    method: 'POST',
    path: '/_security/oauth2/token',
    authorization: callers.elasticByPassword,
    body: { grant_type: 'client_credentials' },
  };
  return { GetTokenFunction: () => [request, request] };
}

/** One bundle measured cold: the events of each run's two requests, the environment it runs with. */
interface Subject {
  readonly row: Omit<ColdStartResult, 'runs'>;
  readonly bundleDirectory: string;
  readonly eventsFor: EventsFor;
  readonly env: Record<string, string>;
  readonly accepts: (status: number) => boolean;
  readonly deployed: ProbeResult[];
  readonly withoutMaps: ProbeResult[];
}

function sizeOf(fn: AssemblyFunction, bundleDirectory: string): Omit<ColdStartResult, 'runs'> {
  const map = join(bundleDirectory, 'index.js.map');
  return {
    functionName: fn.name,
    asset: fn.assetDirectory,
    bundleBytes: statSync(join(bundleDirectory, 'index.js')).size,
    sourceMapBytes: existsSync(map) ? statSync(map).size : 0,
  };
}

function subject(
  row: Omit<ColdStartResult, 'runs'>,
  bundleDirectory: string,
  eventsFor: EventsFor,
  env: Record<string, string>,
  accepts: (status: number) => boolean = (status) => status === 200,
): Subject {
  return { row, bundleDirectory, eventsFor, env, accepts, deployed: [], withoutMaps: [] };
}

/** One fresh process with the stack's Node options, one without source maps, for the run's events. */
async function probeRun(s: Subject, run: number): Promise<void> {
  const events = s.eventsFor(run);
  const name = s.row.functionName;
  s.deployed.push(await probe(s.bundleDirectory, name, events, s.env, s.accepts));
  // The second probe's requests must work again: invalidation answers 200 for a previously invalidated token too.
  s.withoutMaps.push(await probe(s.bundleDirectory, name, events, { ...s.env, NODE_OPTIONS: '' }, s.accepts));
}

const loadAndFirst = (r: ProbeResult) => r.bundleLoadMs + r.firstRequestMs;

/**
 * A subject's medians; against the floor, the median over the runs of its load + first request over the
 * floor's in the same run: the floor is measured in every run with the others, so a busy moment of the
 * machine weighs on both sides of a ratio rather than on one.
 */
function resultOf(s: Subject, floor?: Subject): ColdStartResult {
  const { deployed, withoutMaps } = s;
  return {
    ...s.row,
    runs: deployed.length,
    startupMs: median(deployed.map((r) => r.startupMs)),
    bundleLoadMs: median(deployed.map((r) => r.bundleLoadMs)),
    firstRequestMs: median(deployed.map((r) => r.firstRequestMs)),
    secondRequestMs: median(deployed.map((r) => r.secondRequestMs)),
    bundleLoadWithoutSourceMapsMs: median(withoutMaps.map((r) => r.bundleLoadMs)),
    loadAndFirstRequestMs: median(deployed.map(loadAndFirst)),
    ...(floor !== undefined && {
      floorRatio: median(deployed.map((r, run) => loadAndFirst(r) / loadAndFirst(floor.deployed[run] as ProbeResult))),
    }),
  };
}

/**
 * The floor and the reference floors (bundle-build.ts), built into `directory`, each run as a function is, with
 * the Node options the stack gives its functions (source maps enabled: their load is part of a cold start).
 */
async function floorSubjects(directory: string, table: string, resolved: Record<string, string>, nodeOptions: unknown) {
  const floorDirectory = join(directory, 'Floor');
  await buildFloor(floorDirectory);
  const floorFunction = { name: FLOOR, assetDirectory: floorDirectory, memorySize: 512, environment: {}, layers: [] };
  const key = (id: string) => ({ [TOKENS_TABLE.partitionKey.name]: id });
  const event = { tableName: table, key: key('bench_floor') };
  const variables = typeof nodeOptions === 'string' ? { NODE_OPTIONS: nodeOptions } : {};
  const environment = lambdaEnvironment({ name: 'Floor', memorySize: 512, variables }, resolved);
  const storageDirectory = join(directory, 'StorageFloor');
  await buildFloor(storageDirectory, true);
  const storageFunction = { ...floorFunction, name: FLOOR_CLIENT, assetDirectory: storageDirectory };
  // The caller's pair and its scopes' three watermarks, as authentication reads them (store/batch-get.ts).
  const keys = ['bench_floor', 'bench_floor_global', 'bench_floor_realm', 'bench_floor_user'].map(key);
  const reference = (write: keyof typeof STORAGE_FLOORS) => {
    const storageEvent = { tableName: table, keys, write };
    const row = { ...sizeOf(storageFunction, storageDirectory), variant: STORAGE_FLOORS[write] };
    return subject(row, storageDirectory, () => [storageEvent, storageEvent], environment);
  };
  return {
    floor: subject(sizeOf(floorFunction, floorDirectory), floorDirectory, () => [event, event], environment),
    references: [reference('none'), reference('put'), reference('update')],
  };
}

/** Size and cold start of the bundles of the cloud assembly, each run with its environment from the template. */
export async function runColdStartSuite(
  env: BenchEnvironment,
  options: BenchOptions,
  progress: (line: string) => void,
): Promise<ColdStartResult[]> {
  const assembly = await cloudAssembly(options.cdkOut, progress);
  const table = await env.createTable();
  const secretsManager = await startFakeSecretsManager({ [SECRET_ARN]: env.users.elastic.password });
  // The functions that invalidate announce it on EventBridge (the default bus, deployed): a stand-in answers here.
  const eventBridge = await startFakeEventBridge();
  const directory = mkdtempSync(join(tmpdir(), 'es-token-bench-bundles-'));
  try {
    const { callers, requests } = await coldStartRequests(env, table, options.coldRuns);
    const resolved = {
      TOKENS_TABLE: table,
      USERS_TABLE: await createUsersTable(env.client),
      ROLES_TABLE: await createRolesTable(env.client),
      ROLE_MAPPINGS_TABLE: await createRoleMappingsTable(env.client),
      ELASTIC_PASSWORD_SECRET_ARN: SECRET_ARN,
      DYNAMODB_ENDPOINT: env.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
    };
    const refused = refusedRequests(callers);
    const variants = passwordCallerVariants(callers);
    const nodeOptions = assembly.functions.map((fn) => fn.environment.NODE_OPTIONS).find((v) => typeof v === 'string');
    const { floor, references } = await floorSubjects(directory, table, resolved, nodeOptions);
    const subjects: Subject[] = [...references];
    const sizesOnly: ColdStartResult[] = [];
    const selected = assembly.functions.filter((fn) => options.functions === undefined || options.functions.includes(fn.name));
    for (const fn of selected) {
      const accepted = requests[fn.name];
      const refusal = refused[fn.name];
      const eventsFor = accepted !== undefined ? asEvents(accepted) : refusal && asEvents(() => [refusal, refusal]);
      const bundleDirectory = isolate(fn, directory);
      const size = sizeOf(fn, bundleDirectory);
      const topContributorsOf = await topContributors(fn.name, fn.environment.POWERTOOLS_TRACE_ENABLED === 'true');
      if (eventsFor === undefined) {
        sizesOnly.push({ ...size, runs: 0, topContributors: topContributorsOf });
        continue;
      }
      const environment = lambdaEnvironment(
        { name: fn.name, memorySize: fn.memorySize, variables: fn.environment, layers: fn.layers },
        resolved,
      );
      const measured = subject(
        { ...size, topContributors: topContributorsOf },
        bundleDirectory,
        eventsFor,
        environment,
        accepted !== undefined ? (status) => status === 200 : (status) => status < 500,
      );
      subjects.push(measured);
      const variant = variants[fn.name];
      if (variant !== undefined) {
        const row = { ...size, variant: 'caller by password: one bcrypt check, cost 10' };
        subjects.push(subject(row, bundleDirectory, asEvents(variant), environment));
      }
    }
    // Run by run, every bundle once, the floor among them: a change of the machine's load during the suite
    // then weighs on the floor of a run as on the functions measured against it. Each run starts one bundle
    // further on, so no bundle, the floor included, is always first or always after a given one.
    const all = [floor, ...subjects];
    for (let run = 0; run < options.coldRuns; run++) {
      progress(`cold start: run ${run + 1} of ${options.coldRuns}, ${all.length} bundles`);
      const start = run % all.length;
      for (const s of [...all.slice(start), ...all.slice(0, start)]) await probeRun(s, run);
    }
    return [resultOf(floor), ...subjects.map((s) => resultOf(s, floor)), ...sizesOnly];
  } finally {
    rmSync(directory, { recursive: true, force: true });
    await secretsManager.close();
    await eventBridge.close();
    await env.dropTable(table);
  }
}
