import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { FUNCTIONS, type FunctionId } from '../../infra/routes';

/** The token APIs; the user and role functions share their pipeline and dependencies, and so their cold start. */
const MEASURED_FUNCTIONS: readonly FunctionId[] = ['getToken', 'authenticate', 'invalidateToken'];

import { type BenchEnvironment, ELASTIC_CLIENT, mintPairs, seed, userOf } from './fixtures';
import { basic, bearer, proxyEvent, type Request } from './lambda';
import { median } from './load';
import type { BenchOptions } from './options';

const ROOT = join(__dirname, '..', '..');
/** The deployed functions' NODE_OPTIONS (infra/token-service-stack.ts). */
const DEPLOYED_NODE_OPTIONS = '--enable-source-maps';
const RESULT_MARK = 'BENCH_COLD_START ';

/**
 * Runs in a fresh Node process: loads the AWS SDK packages the bundle requires (the Lambda runtime provides
 * them; each is timed, in alphabetical order, so a package's time is what it adds to those before it),
 * then the bundle, then answers two requests. `startupMs` is the time from the process's start to the
 * first line of this script.
 */
const PROBE = `
const startupMs = performance.now();
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  const { bundle, sdkPackages, events, functionName } = JSON.parse(input);
  const context = { functionName, awsRequestId: 'cold-start', getRemainingTimeInMillis: () => 29000, callbackWaitsForEmptyEventLoop: false };
  const sdkLoadMs = {};
  for (const name of sdkPackages) {
    const t = performance.now();
    require(name);
    sdkLoadMs[name] = performance.now() - t;
  }
  const t0 = performance.now();
  const { handler } = require(bundle);
  const t1 = performance.now();
  const first = await handler(events[0], context);
  const t2 = performance.now();
  const second = await handler(events[1], context);
  const t3 = performance.now();
  process.stdout.write('\\n${RESULT_MARK}' + JSON.stringify({
    startupMs, sdkLoadMs, bundleLoadMs: t1 - t0, firstRequestMs: t2 - t1, secondRequestMs: t3 - t2,
    statuses: [first.statusCode, second.statusCode],
  }) + '\\n');
});
`;

interface ProbeResult {
  readonly startupMs: number;
  readonly sdkLoadMs: Record<string, number>;
  readonly bundleLoadMs: number;
  readonly firstRequestMs: number;
  readonly secondRequestMs: number;
  readonly statuses: readonly number[];
}

export interface ColdStartResult {
  readonly functionId: FunctionId;
  readonly entry: string;
  readonly bundleBytes: number;
  readonly sourceMapBytes: number;
  readonly runs: number;
  /** Medians over the runs, with the deployed NODE_OPTIONS (source maps enabled). */
  readonly startupMs: number;
  /** The AWS SDK packages the bundle requires (external: the runtime's), each over the ones before it. */
  readonly sdkLoadMs: Record<string, number>;
  /** The bundle itself, once the SDK is loaded. */
  readonly bundleLoadMs: number;
  /** SDK and bundle: everything before the handler can run. */
  readonly moduleLoadMs: number;
  readonly firstRequestMs: number;
  readonly secondRequestMs: number;
  /** Median load of the bundle alone without `--enable-source-maps`. */
  readonly bundleLoadWithoutSourceMapsMs: number;
}

/** The external packages a bundle requires, in alphabetical order. */
function sdkPackagesOf(bundlePath: string): string[] {
  const names = readFileSync(bundlePath, 'utf8').matchAll(/require\("(@aws-sdk\/[^"]+)"\)/g);
  return [...new Set([...names].map((match) => match[1] as string))].sort();
}

/** The NodejsFunction bundling of the stack: esbuild, minified, source maps, node22, the SDK v3 external. */
async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    minify: true,
    sourcemap: true,
    external: ['@aws-sdk/*'],
    logLevel: 'warning',
  });
}

function probe(bundlePath: string, functionId: FunctionId, requests: readonly Request[], env: Record<string, string>) {
  return new Promise<ProbeResult>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', PROBE], {
      // The SDK is external, as the Lambda runtime provides it: resolve it from the project's node_modules.
      env: { ...process.env, ...env, NODE_PATH: join(ROOT, 'node_modules') },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const line = output.split('\n').find((l) => l.startsWith(RESULT_MARK));
      if (line === undefined) return reject(new Error(`cold-start probe of ${functionId} exited with ${code} and no result`));
      const result = JSON.parse(line.slice(RESULT_MARK.length)) as ProbeResult;
      if (result.statuses.some((status) => status !== 200)) {
        return reject(new Error(`cold-start probe of ${functionId} answered ${result.statuses.join(', ')}`));
      }
      resolve(result);
    });
    // The events (they carry a token) go through the pipe only: never a file, never a log.
    const events = requests.map((request) => proxyEvent(request).event);
    child.stdin.end(
      JSON.stringify({ bundle: bundlePath, sdkPackages: sdkPackagesOf(bundlePath), events, functionName: functionId }),
    );
  });
}

export async function runColdStartSuite(
  env: BenchEnvironment,
  options: BenchOptions,
  progress: (line: string) => void,
): Promise<ColdStartResult[]> {
  const table = await env.createTable();
  const config = env.config(table);
  const runs = options.coldRuns;
  // Two access tokens per run for the invalidation function (each is used up), one for authenticate.
  const pairs = await mintPairs(
    2 * runs + 1,
    () => ({
      authentication: userOf(env.users.fileUser.username, 'default_file'),
      client: ELASTIC_CLIENT,
      withRefreshToken: true,
    }),
    config,
  );
  await seed(
    env.documents,
    table,
    pairs.map((pair) => pair.item),
  );
  const accessTokens = pairs.map((pair) => pair.tokens.accessToken);
  const elastic = basic(env.users.elastic.username, env.users.elastic.password);
  const requestsFor = (functionId: FunctionId, run: number): Request[] => {
    switch (functionId) {
      case 'getToken':
        return [0, 1].map(() => ({
          method: 'POST',
          path: '/_security/oauth2/token',
          authorization: elastic,
          body: { grant_type: 'client_credentials' },
        }));
      case 'authenticate':
        return [0, 1].map(() => ({
          method: 'GET',
          path: '/_security/_authenticate',
          authorization: bearer(accessTokens[2 * runs] as string),
        }));
      case 'invalidateToken':
        return [0, 1].map((i) => ({
          method: 'DELETE',
          path: '/_security/oauth2/token',
          authorization: elastic,
          body: { token: accessTokens[2 * run + i] as string },
        }));
      default:
        throw new Error(`no cold-start requests for ${functionId}`);
    }
  };

  const directory = mkdtempSync(join(tmpdir(), 'es-token-bench-bundles-'));
  const functionEnv = { ...env.functionEnvironment(table), POWERTOOLS_LOG_LEVEL: 'INFO' };
  const results: ColdStartResult[] = [];
  try {
    for (const functionId of MEASURED_FUNCTIONS) {
      const { entry } = FUNCTIONS[functionId];
      progress(`cold start: ${functionId}`);
      const outfile = join(directory, functionId, 'index.js');
      await bundle(entry, outfile);
      const deployed: ProbeResult[] = [];
      const withoutMaps: ProbeResult[] = [];
      for (let run = 0; run < runs; run++) {
        const requests = requestsFor(functionId, run);
        deployed.push(await probe(outfile, functionId, requests, { ...functionEnv, NODE_OPTIONS: DEPLOYED_NODE_OPTIONS }));
        // The second probe's requests must work again: invalidation answers 200 for a previously invalidated token too.
        withoutMaps.push(await probe(outfile, functionId, requests, { ...functionEnv, NODE_OPTIONS: '' }));
      }
      const sdkLoad = (r: ProbeResult) => Object.values(r.sdkLoadMs).reduce((sum, ms) => sum + ms, 0);
      results.push({
        functionId,
        entry,
        bundleBytes: statSync(outfile).size,
        sourceMapBytes: statSync(`${outfile}.map`).size,
        runs,
        startupMs: median(deployed.map((r) => r.startupMs)),
        sdkLoadMs: Object.fromEntries(
          sdkPackagesOf(outfile).map((name) => [name, median(deployed.map((r) => r.sdkLoadMs[name] ?? Number.NaN))]),
        ),
        bundleLoadMs: median(deployed.map((r) => r.bundleLoadMs)),
        moduleLoadMs: median(deployed.map((r) => sdkLoad(r) + r.bundleLoadMs)),
        firstRequestMs: median(deployed.map((r) => r.firstRequestMs)),
        secondRequestMs: median(deployed.map((r) => r.secondRequestMs)),
        bundleLoadWithoutSourceMapsMs: median(withoutMaps.map((r) => r.bundleLoadMs)),
      });
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
    await env.dropTable(table);
  }
  return results;
}
