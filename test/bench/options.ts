import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const SUITES = [
  'operations',
  'revoked-scopes',
  'realm',
  'cold-start',
  'enumeration',
  'password-flood',
  'patterns',
  'audit',
  'authorizer',
] as const;
type Suite = (typeof SUITES)[number];

export interface BenchOptions {
  /** Operations per side (service, floor) and concurrency, for the storage-bound operations. */
  readonly ops: number;
  /** The same for the password grant, whose bcrypt check (about a tenth of a second) dominates. */
  readonly bcryptOps: number;
  readonly concurrencies: readonly number[];
  /** Service and floor alternate in this many rounds, so drift in a shared machine's load hits both alike. */
  readonly rounds: number;
  /** Unmeasured operations per side before each scenario: JIT, connection pool, DynamoDB Local's caches. */
  readonly warmup: number;
  /** Distinct revoked scopes (user-wide watermarks of other users) authentication is measured against. */
  readonly revokedScopes: readonly number[];
  /** Token pairs of a realm, one realm-wide invalidation each. */
  readonly realmSizes: readonly number[];
  /** A size is swept again (on fresh copies) until each side has swept this many pairs; medians are reported. */
  readonly realmMinPairs: number;
  /** Fresh processes per function for the cold-start figures (the median is reported). */
  readonly coldRuns: number;
  /** The cloud assembly whose bundles the cold-start suite measures, synthesized there unless fresh. */
  readonly cdkOut: string;
  /** The functions the cold-start suite measures (construct names), all when absent. */
  readonly functions?: readonly string[];
  readonly suites: readonly Suite[];
  readonly out: string;
  /** The operations suite's service runs with the audit log on (Elasticsearch's default events, to a file). */
  readonly audit: boolean;
}

export const USAGE = `npm run bench -- [options]

  --ops N            operations per side and concurrency (default 600)
  --bcrypt-ops N     the same for the password grant (default 40)
  --concurrency L    comma-separated concurrencies (default 1,16)
  --rounds N         service/floor alternations per measurement (default 10)
  --warmup N         unmeasured operations per side before each scenario (default 50)
  --revoked-scopes L distinct revoked scopes authentication is measured against
                     (default 0,1000,100000; writing 100,000 takes a minute or two)
  --realm-sizes L    token pairs per realm-wide invalidation (default 1000,2500,5000;
                     the issue's full set is 1000,10000,50000)
  --realm-min-pairs N  repeat a size until each side swept this many pairs (default 5000)
  --cold-runs N      fresh processes per function for cold start (default 5)
  --cdk-out DIR      the cloud assembly to measure: reused when newer than every source,
                     otherwise written there by cdk synth (default cdk.out)
  --functions L      cold start: only these functions (GetTokenFunction,...; default all)
  --only L           suites to run: operations,revoked-scopes,realm,cold-start,enumeration,
                     password-flood,patterns,audit,authorizer (default all); audit: Bearer
                     authenticate with the audit log on against off
  --out FILE         where the JSON results go (default bench-results.json)
  --audit            run the operations suite with the audit log on (xpack.security.audit.enabled,
                     Elasticsearch's default events, written to a file), to compare with a run without
`;

function positive(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${option}: [${value}] is not a whole number of at least 1`);
  return n;
}

function list(value: string, option: string): number[] {
  return value.split(',').map((part) => positive(part.trim(), option));
}

export function parseOptions(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      ops: { type: 'string', default: '600' },
      'bcrypt-ops': { type: 'string', default: '40' },
      concurrency: { type: 'string', default: '1,16' },
      rounds: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '50' },
      'revoked-scopes': { type: 'string', default: '0,1000,100000' },
      'realm-sizes': { type: 'string', default: '1000,2500,5000' },
      'realm-min-pairs': { type: 'string', default: '5000' },
      'cold-runs': { type: 'string', default: '5' },
      'cdk-out': { type: 'string', default: 'cdk.out' },
      functions: { type: 'string' },
      only: { type: 'string', default: SUITES.join(',') },
      out: { type: 'string', default: 'bench-results.json' },
      audit: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const suites = values.only.split(',').map((suite) => suite.trim());
  const unknown = suites.filter((suite) => !(SUITES as readonly string[]).includes(suite));
  if (unknown.length > 0) throw new Error(`--only: unknown suite(s) [${unknown.join(', ')}]; choose from ${SUITES.join(', ')}`);
  return {
    ops: positive(values.ops, 'ops'),
    bcryptOps: positive(values['bcrypt-ops'], 'bcrypt-ops'),
    concurrencies: list(values.concurrency, 'concurrency'),
    rounds: positive(values.rounds, 'rounds'),
    warmup: positive(values.warmup, 'warmup'),
    revokedScopes: values['revoked-scopes'].split(',').map((part) => {
      const n = Number(part.trim());
      if (!Number.isInteger(n) || n < 0) throw new Error(`--revoked-scopes: [${part}] is not a whole number`);
      return n;
    }),
    realmSizes: list(values['realm-sizes'], 'realm-sizes'),
    realmMinPairs: positive(values['realm-min-pairs'], 'realm-min-pairs'),
    coldRuns: positive(values['cold-runs'], 'cold-runs'),
    cdkOut: resolve(values['cdk-out']),
    ...(values.functions === undefined ? {} : { functions: values.functions.split(',').map((name) => name.trim()) }),
    suites: suites as Suite[],
    out: values.out,
    audit: values.audit,
  };
}
