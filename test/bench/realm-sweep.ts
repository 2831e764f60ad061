import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbTokenStore } from '../../functions/store/dynamodb-token-store';
import { TokenService } from '../../functions/tokens/token-service';
import { ELASTIC_CLIENT } from '../support/test-users';
import { type BenchEnvironment, mintPairs, PAIR_KEY, seed, userOf } from './fixtures';
import { basic, createHandlers, invoke } from './lambda';
import { median } from './load';
import { Meter, type RecordedCommand } from './metered-client';
import type { BenchOptions } from './options';

/** Access tokens checked right after each answer. */
export const ACCEPTANCE_SAMPLE = 200;

/** Distinct users the pairs of a benchmark realm belong to. */
const USERS_PER_REALM = 100;

interface SweepSide {
  /** The median over the runs. */
  readonly wallSeconds: number;
  readonly pairsPerSecond: number;
  /** CPU time of this process per pair: the handler, the sweep and the SDK; the SDK alone for the floor. */
  readonly cpuMsPerPair: number;
  /** API calls, by operation, for one sweep. */
  readonly calls: Record<string, number>;
  /** Capacity units per pair, by table and index. */
  readonly readPerPair: Record<string, number>;
  readonly writePerPair: Record<string, number>;
  readonly rcuPerPair: number;
  readonly wcuPerPair: number;
}

interface RealmResult {
  readonly pairs: number;
  /** Sweeps of this size, each side on its own fresh copy of the pairs. */
  readonly runs: number;
  /** Writing the pairs of both tables with BatchWriteItem, all runs (not part of either side's figures). */
  readonly seedingSeconds: number;
  readonly service: SweepSide & {
    /**
     * When the request was answered (median): past the time budget (INVALIDATION_BUDGET, 20 s) the answer
     * carries the counts so far and a Warning, and the sweep goes on in the background.
     */
    readonly answeredSeconds: number;
    /** Tokens the answer counted (median), of the 2 per pair the whole sweep invalidates. */
    readonly answeredTokens: number;
    /** Access tokens of the realm's last pairs (a sample) still accepted right after the answer: the most of any run. */
    readonly acceptedAfterAnswer: number;
    /** The fixed pause before the catch-up pass for index lag (INVALIDATION_SETTLE), part of the wall time. */
    readonly settleSeconds: number;
    /** Pairs per second over the wall time less the settle pause: the part that scales with the realm. */
    readonly sweepPairsPerSecond: number;
  };
  readonly floor: SweepSide;
  /**
   * Service pairs/s over floor pairs/s, the median over the runs: on the whole wall time, and without the
   * fixed settle pause.
   */
  readonly ratio: number;
  readonly ratioWithoutSettle: number;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Wall and CPU time of `work`. */
async function timed(work: () => Promise<void>): Promise<Timing> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await work();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** One side over all runs of a size: `meter` has counted every run. */
function side(meter: Meter, pairs: number, timings: readonly Timing[]): SweepSide {
  const swept = pairs * timings.length;
  const perPair = (units: Record<string, number>) =>
    Object.fromEntries(Object.entries(units).map(([target, value]) => [target, round3(value / swept)]));
  const sum = (units: Record<string, number>) => round3(Object.values(units).reduce((total, value) => total + value, 0));
  const readPerPair = perPair(meter.read);
  const writePerPair = perPair(meter.write);
  const wallMs = median(timings.map((t) => t.wallMs));
  return {
    wallSeconds: wallMs / 1000,
    pairsPerSecond: pairs / (wallMs / 1000),
    cpuMsPerPair: timings.reduce((total, t) => total + t.cpuMs, 0) / swept,
    calls: Object.fromEntries(Object.entries(meter.calls).map(([operation, n]) => [operation, n / timings.length])),
    readPerPair,
    writePerPair,
    rcuPerPair: sum(readPerPair),
    wcuPerPair: sum(writePerPair),
  };
}

/**
 * Which stream of a sweep a Query reads: its index and the string values of its key condition (the
 * partition, and the realm filter of a user-wide sweep); the numbers are the creation window.
 */
function streamOf(input: Record<string, unknown>): string {
  const values = Object.values((input.ExpressionAttributeValues ?? {}) as Record<string, unknown>);
  return [input.IndexName, ...values.filter((value) => typeof value === 'string')].join('|');
}

/** At most `permits` tasks at a time. */
function limiter(permits: number): <T>(task: () => Promise<T>) => Promise<T> {
  let available = permits;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (available > 0) available--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else available++;
    }
  };
}

/**
 * The floor of a realm-wide invalidation: the service's own first-page Query of every stream, paged to the
 * end, and for each page its own UpdateItem per pair, at most `concurrency` in flight, on an identical
 * copy of the data. Only the table, the page cursor and the item key differ from what the service sent.
 */
async function floorSweep(
  client: DynamoDBDocumentClient,
  tableName: string,
  queries: readonly RecordedCommand[],
  update: RecordedCommand,
  concurrency: number,
): Promise<number> {
  const limit = limiter(concurrency);
  let updated = 0;
  await Promise.all(
    queries.map(async (query) => {
      let after: Record<string, unknown> | undefined;
      do {
        const { ExclusiveStartKey: _first, ...firstPage } = query.input;
        const page = await client.send(
          new QueryCommand({ ...firstPage, TableName: tableName, ...(after && { ExclusiveStartKey: after }) } as never),
        );
        await Promise.all(
          (page.Items ?? []).map((item) =>
            limit(() =>
              client.send(
                new UpdateCommand({ ...update.input, TableName: tableName, Key: { [PAIR_KEY]: item[PAIR_KEY] } } as never),
              ),
            ),
          ),
        );
        updated += page.Items?.length ?? 0;
        after = page.LastEvaluatedKey;
      } while (after !== undefined);
    }),
  );
  return updated;
}

interface SweepRun {
  /** From the request to the end of the last background continuation. */
  readonly service: Timing;
  /** When the request was answered (at the time budget, if the sweep went on in the background). */
  readonly answeredMs: number;
  readonly answeredTokens: number;
  /** Of the last pairs of the realm, how many access tokens still authenticated right after the answer. */
  readonly acceptedAfterAnswer: number;
  readonly floor: Timing;
  readonly seedingMs: number;
  /** The service's settle pause (INVALIDATION_SETTLE), inside its wall time. */
  readonly settleMs: number;
}

/**
 * One realm of `pairs` pairs, written to two fresh tables; the service invalidates it in one, the floor
 * in the other. Their calls are counted by the meters given.
 */
async function sweepOnce(env: BenchEnvironment, pairs: number, serviceMeter: Meter, floorMeter: Meter): Promise<SweepRun> {
  const { metered, users } = env;
  const realm = `bench_realm_${pairs}`;
  const serviceTable = await env.createTable();
  const floorTable = await env.createTable();
  try {
    const config = env.config(serviceTable);
    const minted = await mintPairs(
      pairs,
      (n) => ({ authentication: userOf(`user_${n % USERS_PER_REALM}`, realm), client: ELASTIC_CLIENT, withRefreshToken: true }),
      config,
    );
    const items = minted.map((pair) => pair.item);
    const seeding = performance.now();
    await seed(env.documents, serviceTable, items);
    await seed(env.documents, floorTable, items);
    const seedingMs = performance.now() - seeding;

    const service = env.service(serviceTable);
    const continuation = service.continuation;
    const handlers = createHandlers(service);
    const queries = new Map<string, RecordedCommand>();
    let update: RecordedCommand | undefined;
    // Keeps the first page of each stream and the first pair update (not a watermark's or the job record's):
    // the floor's templates.
    metered.recorder = ({ name, input }) => {
      if (name === 'QueryCommand' && input.ExclusiveStartKey === undefined && !queries.has(streamOf(input))) {
        queries.set(streamOf(input), { name, input: structuredClone(input) });
      } else if (name === 'UpdateCommand' && update === undefined && String(input.UpdateExpression).includes('REMOVE realmKey')) {
        update = { name, input: structuredClone(input) };
      }
    };
    metered.meter = serviceMeter;
    let answeredMs = 0;
    let answeredTokens = 0;
    let acceptedAfterAnswer = 0;
    // The last pairs minted, checked right after the answer by an unmetered reader (DESIGN §7's guarantee).
    const checker = new TokenService({
      store: new DynamoDbTokenStore({ client: env.documents, tableName: serviceTable, indexShards: config.indexShards }),
      clock: Date.now,
      accessTokenTimeoutMs: config.accessTokenTimeoutMs,
    });
    const sample = minted.slice(-ACCEPTANCE_SAMPLE).map((pair) => pair.tokens.accessToken);
    const t0 = performance.now();
    const serviceTiming = await timed(async () => {
      const result = await invoke(handlers, {
        method: 'DELETE',
        path: '/_security/oauth2/token',
        authorization: basic(users.elastic.username, users.elastic.password),
        body: { realm_name: realm },
      });
      answeredMs = performance.now() - t0;
      const body = JSON.parse(result.body) as { invalidated_tokens: number; error_count: number };
      if (body.error_count !== 0) throw new Error(`realm-wide invalidation of ${pairs} pairs: ${body.error_count} errors`);
      answeredTokens = body.invalidated_tokens;
      // Past the time budget the sweep goes on in budgeted runs (deployed: invocations of the function).
      const accepted = Promise.all(
        sample.map((token) =>
          checker.authenticate(token).then(
            () => 1,
            () => 0,
          ),
        ),
      );
      acceptedAfterAnswer = (await accepted).reduce<number>((sum, n) => sum + n, 0);
      await continuation.idle();
    });
    metered.recorder = undefined;
    metered.meter = new Meter();
    const left = await indexedPairs(metered.client, serviceTable, [...queries.values()]);
    if (left !== 0) throw new Error(`realm-wide invalidation of ${pairs} pairs left ${left} pairs indexed`);

    // The floor replays the calls the service just sent (their creation window is the request's), so it runs second.
    const template = update;
    if (template === undefined) throw new Error('the service sent no UpdateItem');
    metered.meter = floorMeter;
    let updated = 0;
    const floorTiming = await timed(async () => {
      updated = await floorSweep(metered.client, floorTable, [...queries.values()], template, config.invalidationConcurrency);
    });
    metered.meter = new Meter();
    if (updated !== pairs) throw new Error(`floor sweep of ${pairs} pairs updated ${updated}`);

    return {
      service: serviceTiming,
      answeredMs,
      answeredTokens,
      acceptedAfterAnswer,
      floor: floorTiming,
      seedingMs,
      settleMs: config.invalidationSettleMs,
    };
  } finally {
    await env.dropTable(serviceTable);
    await env.dropTable(floorTable);
  }
}

/** Runs of one size until at least `minPairs` pairs were swept on each side; medians of the runs. */
/** Pairs still in the streams of the recorded queries: none, once a sweep has invalidated them all. */
async function indexedPairs(client: DynamoDBDocumentClient, tableName: string, queries: readonly RecordedCommand[]) {
  let count = 0;
  for (const query of queries) {
    const { Limit: _pageSize, ...input } = query.input;
    let after: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          ...input,
          TableName: tableName,
          Select: 'COUNT',
          ...(after && { ExclusiveStartKey: after }),
        } as never),
      );
      count += page.Count ?? 0;
      after = page.LastEvaluatedKey;
    } while (after !== undefined);
  }
  return count;
}

async function runSize(env: BenchEnvironment, pairs: number, minPairs: number): Promise<RealmResult> {
  const runs = Math.max(1, Math.ceil(minPairs / pairs));
  const serviceMeter = new Meter();
  const floorMeter = new Meter();
  const sweeps: SweepRun[] = [];
  for (let run = 0; run < runs; run++) sweeps.push(await sweepOnce(env, pairs, serviceMeter, floorMeter));
  const settleMs = sweeps[0]?.settleMs ?? 0;
  const service = side(
    serviceMeter,
    pairs,
    sweeps.map((s) => s.service),
  );
  const floor = side(
    floorMeter,
    pairs,
    sweeps.map((s) => s.floor),
  );
  return {
    pairs,
    runs,
    seedingSeconds: sweeps.reduce((total, s) => total + s.seedingMs, 0) / 1000,
    service: {
      ...service,
      answeredSeconds: median(sweeps.map((s) => s.answeredMs)) / 1000,
      answeredTokens: median(sweeps.map((s) => s.answeredTokens)),
      acceptedAfterAnswer: Math.max(...sweeps.map((s) => s.acceptedAfterAnswer)),
      settleSeconds: settleMs / 1000,
      sweepPairsPerSecond: pairs / ((service.wallSeconds * 1000 - settleMs) / 1000),
    },
    floor,
    ratio: median(sweeps.map((s) => s.floor.wallMs / s.service.wallMs)),
    ratioWithoutSettle: median(sweeps.map((s) => s.floor.wallMs / (s.service.wallMs - settleMs))),
  };
}

export interface RealmSuiteResult {
  readonly sizes: readonly RealmResult[];
  /**
   * b in time ∝ pairs^b between the smallest and the largest realm (1 is linear), for the service (wall
   * time less the settle pause) and the floor.
   */
  readonly growthExponent?: { readonly service: number; readonly floor: number };
}

export async function runRealmSuite(
  env: BenchEnvironment,
  options: BenchOptions,
  progress: (line: string) => void,
): Promise<RealmSuiteResult> {
  const sizes: RealmResult[] = [];
  for (const pairs of [...options.realmSizes].sort((a, b) => a - b)) {
    progress(`realm-wide invalidation: ${pairs} pairs`);
    sizes.push(await runSize(env, pairs, options.realmMinPairs));
  }
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  if (first === undefined || last === undefined || first.pairs === last.pairs) return { sizes };
  const exponent = (t1: number, t2: number) => round3(Math.log(t2 / t1) / Math.log(last.pairs / first.pairs));
  return {
    sizes,
    growthExponent: {
      service: exponent(
        first.service.wallSeconds - first.service.settleSeconds,
        last.service.wallSeconds - last.service.settleSeconds,
      ),
      floor: exponent(first.floor.wallSeconds, last.floor.wallSeconds),
    },
  };
}
