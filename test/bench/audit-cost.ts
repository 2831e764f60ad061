import { join } from 'node:path';
import { parseAuditSettings } from '../../functions/audit/audit-settings';
import { AuditTrail } from '../../functions/audit/audit-trail';
import { fileSink } from '../../functions/audit/sinks';
import { systemClock } from '../../functions/clock';
import { type BenchEnvironment, userOf } from './fixtures';
import { basic, bearer, createHandlers, invoke } from './lambda';
import { alternate, closedLoop, median, Sequence, type Side, type Summary, summarize } from './load';
import type { BenchOptions } from './options';

/** The audit settings each variant runs with (the trail's file sink, as the local service writes it). */
const VARIANTS = {
  /** A/A control: both sides without the audit log, to show what the machine's noise alone does to the ratio. */
  'none (control)': {},
  /** Elasticsearch's default events: one line a Bearer authentication (access_granted). */
  'default events': { 'xpack.security.audit.enabled': 'true' },
  /** Every event: two lines (authentication_success, access_granted). */
  'all events': { 'xpack.security.audit.enabled': 'true', 'xpack.security.audit.logfile.events.include': '_all' },
} as const;

export interface AuditCostResult {
  readonly variant: string;
  readonly concurrency: number;
  readonly on: Summary;
  readonly off: Summary;
  /** Median over the rounds of audit-on ops/s over audit-off ops/s (1 is free, 0.9 is the 10 % the target allows). */
  readonly throughputRatio: number;
  /**
   * The same from requests interleaved one by one (every other request audited, on the same workers): off/on mean
   * latency, the slowest 1 % of each left out. A burst of the machine's other work falls on both sides alike.
   */
  readonly interleavedRatio: number;
  readonly auditLines: number;
}

const AUTHENTICATE = '/_security/_authenticate';

type Operation = (n: number) => Promise<void>;

/** Mean of the fastest 99 %: the rare stall (a collection, DynamoDB Local's own pauses) says nothing of the audit. */
function trimmedMean(latencies: readonly number[]): number {
  const sorted = [...latencies].sort((a, b) => a - b);
  const kept = sorted.slice(0, Math.max(1, Math.floor(sorted.length * 0.99)));
  return kept.reduce((sum, value) => sum + value, 0) / kept.length;
}

/** A closed loop whose requests alternate between the two sides, one by one: off/on of their trimmed mean latencies. */
async function interleaved(on: Operation, off: Operation, count: number, concurrency: number): Promise<number> {
  const latencies: [number[], number[]] = [[], []];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const t0 = performance.now();
      // Requests 2k and 2k+1 read the same token: the two sides read the same items.
      await (n % 2 === 0 ? on : off)(Math.floor(n / 2));
      latencies[n % 2]?.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return trimmedMean(latencies[1]) / trimmedMean(latencies[0]);
}

export interface AuditLineCost {
  readonly lines: number;
  /** CPU time of this process per audit line written: built, filtered, formatted and written to the file. */
  readonly cpuMicrosPerLine: number;
}

/**
 * The audit trail alone: `lines` access_granted events of one request, to a file, timed by this process's CPU.
 * A figure the machine's other work barely moves, unlike the throughput ratios.
 */
export function measureAuditLine(directory: string, lines = 20_000): AuditLineCost {
  const settings = parseAuditSettings(new Map([['xpack.security.audit.enabled', 'true']]));
  const trail = new AuditTrail(settings, fileSink(join(directory, 'logs', 'line-cost_audit.json')), systemClock);
  const caller = userOf('bench_user', 'default_file');
  const request = {
    path: AUTHENTICATE,
    query: '',
    method: 'GET',
    requestId: 'c0ffee00-0000-4000-8000-000000000000',
    originAddress: '127.0.0.1',
  };
  const action = 'cluster:admin/xpack/security/user/authenticate';
  for (let i = 0; i < 1000; i++) trail.forRequest(request).access(true, caller, undefined, action);
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < lines; i++) trail.forRequest(request).access(true, caller, undefined, action);
  const cpu = process.cpuUsage(cpu0);
  return { lines, cpuMicrosPerLine: (cpu.user + cpu.system) / lines };
}

/**
 * The cost of the audit log on the hot path: `GET /_security/_authenticate` with a Bearer token through the
 * warm handler, audit on against audit off over the same table and tokens, in alternating rounds (load.ts), so
 * the machine's other work falls on both alike.
 */
export async function runAuditSuite(
  env: BenchEnvironment,
  options: BenchOptions,
  progress: (line: string) => void,
): Promise<AuditCostResult[]> {
  const table = await env.createTable();
  const off = createHandlers(env.service(table));
  const client = basic(env.users.fileClient.username, env.users.fileClient.password);
  const tokens: string[] = [];
  for (let i = 0; i < 64; i++) {
    const result = await invoke(off, {
      method: 'POST',
      path: '/_security/oauth2/token',
      authorization: client,
      body: { grant_type: 'client_credentials' },
    });
    tokens.push(JSON.parse(result.body).access_token);
  }
  const authenticate = (handlers: typeof off) => async (n: number) =>
    void (await invoke(handlers, {
      method: 'GET',
      path: AUTHENTICATE,
      authorization: bearer(tokens[n % tokens.length] as string),
    }));
  // One long warm-up of the whole path before any variant, DynamoDB Local's JVM included: measured while its JIT
  // still settles, a first variant runs markedly slower than a second, whichever it is.
  await closedLoop(authenticate(off), new Sequence(), Math.max(2000, options.warmup * 4), 4);
  const results: AuditCostResult[] = [];
  for (const [variant, settings] of Object.entries(VARIANTS)) {
    // Both sides built alike, fresh for each variant: each its own service, pipeline and DynamoDB client.
    const on = createHandlers(env.service(table, { ES_AUDIT_SETTINGS: JSON.stringify(settings) }));
    const plainHandlers = createHandlers(env.service(table));
    for (const concurrency of options.concurrencies) {
      progress(`audit log (${variant}): authenticate, concurrency ${concurrency}`);
      const side = (operation: (n: number) => Promise<void>): Side => ({ operation, sequence: new Sequence(), enter: () => {} });
      const [audited, plain] = [side(authenticate(on)), side(authenticate(plainHandlers))];
      await closedLoop(audited.operation, audited.sequence, options.warmup, concurrency);
      await closedLoop(plain.operation, plain.sequence, options.warmup, concurrency);
      const linesBefore = env.auditLines();
      const run = await alternate(audited, plain, options.ops, concurrency, options.rounds);
      const interleavedRatio = await interleaved(audited.operation, plain.operation, options.ops * 2, concurrency);
      results.push({
        variant,
        concurrency,
        on: summarize(run.service),
        off: summarize(run.floor),
        // alternate's ratios are of elapsed times (on / off): throughput is their inverse.
        throughputRatio: 1 / median(run.roundRatios),
        interleavedRatio,
        auditLines: env.auditLines() - linesBefore,
      });
    }
  }
  await env.dropTable(table);
  return results;
}

const fixed = (n: number, digits: number) => n.toFixed(digits);

export function renderAuditCost(results: readonly AuditCostResult[], line: AuditLineCost): string {
  const rows = results.map(
    (r) =>
      `| ${r.variant} | ${r.concurrency} | ${fixed(r.off.opsPerSecond, 0)} | ${fixed(r.on.opsPerSecond, 0)} | ` +
      `${fixed(r.off.p50Ms, 2)} / ${fixed(r.off.p99Ms, 2)} | ${fixed(r.on.p50Ms, 2)} / ${fixed(r.on.p99Ms, 2)} | ` +
      `${fixed(r.throughputRatio, 3)} | ${fixed(r.interleavedRatio, 3)} | ${fixed(r.off.cpuMsPerOp, 3)} | ${fixed(r.on.cpuMsPerOp, 3)} | ` +
      `${fixed(r.off.cpuMsPerOp / r.on.cpuMsPerOp, 3)} | ${r.auditLines} |`,
  );
  return [
    '\n### Audit log: Bearer authenticate, audit on against audit off\n',
    '| Events | Conc. | Off ops/s | On ops/s | Off p50 / p99 ms | On p50 / p99 ms | On/off throughput (median of rounds) | On/off, interleaved | Off CPU ms/op | On CPU ms/op | Off/on CPU | Audit lines |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `One audit line (access_granted, built, filtered, formatted, written to the file): ${fixed(line.cpuMicrosPerLine, 1)} µs of CPU, over ${line.lines} lines.`,
    '',
  ].join('\n');
}
