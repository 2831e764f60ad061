import { BatchGetCommand, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../functions/config';
import { watermarkIdsOf } from '../../functions/store/dynamodb-revocations';
import { DynamoDbTokenStore } from '../../functions/store/dynamodb-token-store';
import { digestsOf, userDigest } from '../../functions/tokens/scope-digest';
import type { FunctionId } from '../../infra/routes';
import { ELASTIC_CLIENT } from '../support/test-users';
import {
  type BenchEnvironment,
  type Credentials,
  copyWithNewId,
  type MintedPair,
  mintPairs,
  PAIR_KEY,
  seed,
  userOf,
} from './fixtures';
import { itemBytes } from './item-size';
import { basic, bearer, invoke, type ProxyHandler, type Request } from './lambda';
import { alternate, closedLoop, median, type Operation, Sequence, type Summary, summarize } from './load';
import { Meter, operationOf, type RecordedCommand } from './metered-client';
import type { BenchOptions } from './options';

const TOKEN_PATH = '/_security/oauth2/token';
const AUTHENTICATE_PATH = '/_security/_authenticate';
const FILE_REALM = 'default_file';

/** Read and write units per operation that the design states (DESIGN §3, §6), and where they come from. */
interface DesignCapacity {
  readonly rcu: number;
  readonly wcu: number;
  readonly basis: string;
}

export interface ScenarioContext {
  readonly env: BenchEnvironment;
  readonly table: string;
  readonly config: Config;
  readonly handlers: Record<FunctionId, ProxyHandler>;
}

interface Prepared {
  /** One operation through the Lambda handler; n = 0 is the one whose DynamoDB calls are recorded. */
  readonly service: Operation;
  /** The floor, built from the DynamoDB calls the service made for operation 0. */
  floor(recorded: readonly RecordedCommand[]): Operation;
}

export interface OperationScenario {
  readonly id: string;
  readonly label: string;
  /** The bare DynamoDB calls the operation inherently needs, in words. */
  readonly floorLabel: string;
  /** Dominated by a bcrypt check: measured with fewer operations. */
  readonly bcrypt: boolean;
  readonly design: DesignCapacity;
  /** Seeds whatever `count` operations of each side consume (token pairs, for refresh and invalidation). */
  prepare(context: ScenarioContext, count: number): Promise<Prepared>;
}

/** The first recorded command of this kind; the floor replays it with only its key changed. */
function recordedOf(recorded: readonly RecordedCommand[], name: string): RecordedCommand {
  const command = recorded.find((c) => c.name === name);
  if (command === undefined) throw new Error(`the service sent no ${operationOf(name)}`);
  return command;
}

function withKey(input: Record<string, unknown>, pairId: string): Record<string, unknown> {
  return { ...input, Key: { [PAIR_KEY]: pairId } };
}

function withNewItem(input: Record<string, unknown>): Record<string, unknown> {
  return { ...input, Item: copyWithNewId(input.Item as Record<string, unknown>) };
}

/** The watermark items a pair of the benchmark's file-realm user reads (realm, user, user in realm). */
function watermarksOf(pairId: string, username: string): string[] {
  return watermarkIdsOf(pairId, digestsOf({ realm: FILE_REALM, username }));
}

/**
 * A refresh's transaction aimed at another old pair: the keyed actions get its id, the Put a new pair id,
 * the ConditionChecks (in the order of watermarkIdsOf) the old pair's watermark items.
 */
function retargetTransaction(input: Record<string, unknown>, oldPairId: string, username: string): Record<string, unknown> {
  const actions = input.TransactItems as Record<string, Record<string, unknown>>[];
  const watermarks = watermarksOf(oldPairId, username);
  let check = 0;
  return {
    ...input,
    TransactItems: actions.map((action) =>
      Object.fromEntries(
        Object.entries(action).map(([kind, body]) => [
          kind,
          kind === 'Put'
            ? withNewItem(body)
            : kind === 'ConditionCheck'
              ? { ...body, Key: { [PAIR_KEY]: watermarks[check++] } }
              : withKey(body, oldPairId),
        ]),
      ),
    ),
  };
}

/**
 * Watermarks of the measured pairs' own scopes (realm, user, user in realm), dated before any of them was
 * created: the watermark items then exist, as after any invalidation of those scopes in the last 24 h, and
 * cover none of the pairs. DynamoDB bills a strongly consistent read of an absent item as 1 RCU; DynamoDB Local
 * reports nothing for it, so without them it would show less than DynamoDB bills.
 */
async function ownScopesWatermarked({ env, table }: ScenarioContext): Promise<void> {
  const store = new DynamoDbTokenStore({ client: env.documents, tableName: table, indexShards: 16 });
  const user = userDigest(env.users.fileUser.username);
  const through = Date.now() - 10 * 60 * 1_000;
  for (const scope of [{ realm: FILE_REALM }, { user }, { realm: FILE_REALM, user }]) await store.revoke({ scope, through });
}

/** A recorded BatchGetItem of a pair and its watermark items, aimed at another pair. */
function pairAndWatermarks(input: Record<string, unknown>, pairId: string, username: string): Record<string, unknown> {
  const requests = input.RequestItems as Record<string, Record<string, unknown>>;
  return {
    ...input,
    RequestItems: Object.fromEntries(
      Object.entries(requests).map(([table, request]) => [
        table,
        { ...request, Keys: [pairId, ...watermarksOf(pairId, username)].map((id) => ({ [PAIR_KEY]: id })) },
      ]),
    ),
  };
}

function at<T>(pool: readonly T[], n: number): T {
  const value = pool[n];
  if (value === undefined) throw new Error(`pool of ${pool.length} exhausted at ${n}`);
  return value;
}

const idOf = (item: Record<string, unknown>) => item[PAIR_KEY] as string;

/** A password-grant pair of the file realm's user, created by `elastic`: what refresh and invalidation act on. */
function passwordPairs(context: ScenarioContext, count: number, withRefreshToken = true): Promise<MintedPair[]> {
  const authentication = userOf(context.env.users.fileUser.username, FILE_REALM);
  return mintPairs(count, () => ({ authentication, client: ELASTIC_CLIENT, withRefreshToken }), context.config);
}

const ISSUE_CAPACITY: DesignCapacity = { rcu: 0, wcu: 3, basis: 'DESIGN §6: 1 item write + 1 per keys-only index' };

/** Get token, client_credentials: the caller's own identity, one PutItem. */
function clientCredentialsGrant(
  caller: (env: BenchEnvironment) => Credentials,
  callerLabel: string,
  bcrypt: boolean,
): OperationScenario {
  return {
    id: `get-token-client-credentials-${callerLabel.replace(/\W+/g, '-')}`,
    label: `get token: client_credentials (caller: ${callerLabel})`,
    floorLabel: 'PutItem of the same item',
    bcrypt,
    design: ISSUE_CAPACITY,
    async prepare({ env, handlers }) {
      const { username, password } = caller(env);
      const request: Request = {
        method: 'POST',
        path: TOKEN_PATH,
        authorization: basic(username, password),
        body: { grant_type: 'client_credentials' },
      };
      return {
        service: async () => void (await invoke(handlers, request)),
        floor(recorded) {
          const put = recordedOf(recorded, 'PutCommand');
          return async () => void (await env.metered.client.send(new PutCommand(withNewItem(put.input) as never)));
        },
      };
    },
  };
}

/**
 * Get token, password grant: the user's password is checked by its realm (bcrypt, cost 10) and a pair is
 * put. A realm that caches a successful bcrypt check on a warm function is measured by passing its user
 * with `bcrypt` false: after the first check, its operations cost what the storage costs.
 */
function passwordGrant(user: (env: BenchEnvironment) => Credentials, userLabel: string, bcrypt = true): OperationScenario {
  return {
    id: `get-token-password-${userLabel.replace(/\W+/g, '-')}`,
    label: `get token: password (${userLabel})`,
    floorLabel: 'PutItem of the same item',
    bcrypt,
    design: ISSUE_CAPACITY,
    async prepare({ env, handlers }) {
      const { username, password } = user(env);
      const request: Request = {
        method: 'POST',
        path: TOKEN_PATH,
        authorization: basic(env.users.elastic.username, env.users.elastic.password),
        body: { grant_type: 'password', username, password },
      };
      return {
        service: async () => void (await invoke(handlers, request)),
        floor(recorded) {
          const put = recordedOf(recorded, 'PutCommand');
          return async () => void (await env.metered.client.send(new PutCommand(withNewItem(put.input) as never)));
        },
      };
    },
  };
}

/**
 * Get token, refresh_token: a consistent read of the old pair, then one transaction (mark old, put new).
 * The issue's floor is the transaction alone; the read is needed too (the stored hash, the creating client
 * and the user snapshot the successor copies are only in the old pair), so `withRead` measures against
 * the read and the transaction, which separates the code's cost from that read.
 */
function refreshGrant(withRead: boolean): OperationScenario {
  return {
    id: withRead ? 'get-token-refresh-vs-read-and-transaction' : 'get-token-refresh',
    label: withRead ? 'get token: refresh_token (floor with the read)' : 'get token: refresh_token',
    floorLabel: withRead
      ? 'the same BatchGetItem (consistent: the pair and its 3 watermark items), then the same TransactWriteItems'
      : 'the same TransactWriteItems (Update old pair + Put new pair + ConditionCheck of its 3 watermark items)',
    bcrypt: false,
    design: {
      rcu: 4,
      wcu: 8,
      basis:
        'DESIGN §3, §7: a consistent read of the pair and its 3 watermark items (4) + one transaction of an Update and a Put (1 + 3 WCU), doubled as DynamoDB bills transactional writes; DynamoDB Local reports nothing for the ConditionChecks of the 3 watermark items, which DynamoDB bills as transactional items (about 6 WCU more)',
    },
    async prepare(context, count) {
      const { env, handlers, table } = context;
      const pairs = await passwordPairs(context, count);
      const floorItems = pairs.map((pair) => copyWithNewId(pair.item));
      await seed(env.documents, table, [...pairs.map((pair) => pair.item), ...floorItems]);
      await ownScopesWatermarked(context);
      const refreshTokens = pairs.map((pair) => pair.tokens.refreshToken as string);
      const floorIds = floorItems.map(idOf);
      const authorization = basic(env.users.elastic.username, env.users.elastic.password);
      return {
        service: async (n) =>
          void (await invoke(handlers, {
            method: 'POST',
            path: TOKEN_PATH,
            authorization,
            body: { grant_type: 'refresh_token', refresh_token: at(refreshTokens, n) },
          })),
        floor(recorded) {
          const read = recordedOf(recorded, 'BatchGetCommand');
          const transaction = recordedOf(recorded, 'TransactWriteCommand');
          return async (n) => {
            const oldPairId = at(floorIds, n);
            const username = env.users.fileUser.username;
            if (withRead) {
              await env.metered.client.send(new BatchGetCommand(pairAndWatermarks(read.input, oldPairId, username) as never));
            }
            await env.metered.client.send(
              new TransactWriteCommand(retargetTransaction(transaction.input, oldPairId, username) as never),
            );
          };
        },
      };
    },
  };
}

/**
 * Authenticate with a Bearer access token: one strongly consistent BatchGetItem of the pair and of the
 * revocation watermark items of its three scopes (DESIGN §7), which exist (ownScopesWatermarked), so that
 * DynamoDB Local's units are DynamoDB's.
 * `againstBareRead` measures against the GetItem of the pair alone: what authentication cost before
 * watermarks, the floor of a design without them.
 */
/**
 * Who is handed the Bearer header: `_authenticate` through its Lambda handler, unless another use of the token is
 * measured in its place (the API Gateway authorizer, authorizer.ts), against the same floor.
 */
export interface BearerUse {
  readonly id: string;
  readonly label: string;
  use(context: ScenarioContext): (authorization: string) => Promise<void>;
}

export function bearerAuthentication(againstBareRead: boolean, through?: BearerUse): OperationScenario {
  const authenticate = (context: ScenarioContext) => async (authorization: string) =>
    void (await invoke(context.handlers, { method: 'GET', path: AUTHENTICATE_PATH, authorization }));
  const use = through?.use ?? authenticate;
  return {
    id: through?.id ?? (againstBareRead ? 'authenticate-bearer-vs-bare-read' : 'authenticate-bearer'),
    label:
      through?.label ?? (againstBareRead ? 'authenticate: Bearer token (floor: the pair alone)' : 'authenticate: Bearer token'),
    floorLabel: againstBareRead
      ? 'GetItem (consistent) of the pair alone, no watermark'
      : 'the same BatchGetItem (consistent): the pair and its 3 watermark items',
    bcrypt: false,
    design: {
      rcu: 4,
      wcu: 0,
      basis:
        'DESIGN §7: 1 strongly consistent read of the pair + 1 of each of its 3 watermark items (realm, user, user in realm)',
    },
    async prepare(context) {
      const { env, table } = context;
      // Tokens are read, not used up: a small set, cycled, keeps the items the same on both sides.
      const pairs = await passwordPairs(context, 64);
      await seed(
        env.documents,
        table,
        pairs.map((pair) => pair.item),
      );
      await ownScopesWatermarked(context);
      const accessTokens = pairs.map((pair) => pair.tokens.accessToken);
      const ids = pairs.map((pair) => idOf(pair.item));
      const present = use(context);
      return {
        service: (n) => present(bearer(at(accessTokens, n % accessTokens.length))),
        floor(recorded) {
          const read = recordedOf(recorded, 'BatchGetCommand');
          return async (n) => {
            const id = at(ids, n % ids.length);
            if (againstBareRead) {
              await env.metered.client.send(new GetCommand({ TableName: table, Key: { [PAIR_KEY]: id }, ConsistentRead: true }));
              return;
            }
            await env.metered.client.send(
              new BatchGetCommand(pairAndWatermarks(read.input, id, env.users.fileUser.username) as never),
            );
          };
        },
      };
    },
  };
}

/**
 * Invalidate one access token. The floor is the one conditional UpdateItem (with ALL_OLD) the operation
 * needs, replayed on copies of the item it was recorded on, so its condition holds the same way.
 */
function singleInvalidation(id: string, label: string, withRefreshToken: boolean, design: DesignCapacity): OperationScenario {
  return {
    id,
    label,
    floorLabel: 'one conditional UpdateItem (ALL_OLD)',
    bcrypt: false,
    design,
    async prepare(context, count) {
      const { env, handlers, table } = context;
      const pairs = await passwordPairs(context, count, withRefreshToken);
      // Operation 0 is recorded; the floor's items are copies of its pair, so the recorded hash matches them.
      const floorItems = pairs.map(() => copyWithNewId(at(pairs, 0).item));
      await seed(env.documents, table, [...pairs.map((pair) => pair.item), ...floorItems]);
      const accessTokens = pairs.map((pair) => pair.tokens.accessToken);
      const floorIds = floorItems.map(idOf);
      const authorization = basic(env.users.elastic.username, env.users.elastic.password);
      return {
        service: async (n) =>
          void (await invoke(handlers, {
            method: 'DELETE',
            path: TOKEN_PATH,
            authorization,
            body: { token: at(accessTokens, n) },
          })),
        floor(recorded) {
          const update = recordedOf(recorded, 'UpdateCommand');
          return async (n) =>
            void (await env.metered.client.send(new UpdateCommand(withKey(update.input, at(floorIds, n)) as never)));
        },
      };
    },
  };
}

const invalidateAccessToken = singleInvalidation(
  'invalidate-access-token',
  'invalidate: one access token (password pair)',
  true,
  { rcu: 0, wcu: 1, basis: 'DESIGN §6: 1 write (the refresh half stays active, so the pair stays indexed)' },
);

const invalidateClientCredentialsToken = singleInvalidation(
  'invalidate-client-credentials-token',
  'invalidate: one client_credentials token',
  false,
  { rcu: 0, wcu: 3, basis: 'DESIGN §6: 1 write + GSI key removal (1 item + 2 index entries)' },
);

export interface CapacityPerOperation {
  /** API calls per operation, by operation name. */
  readonly calls: Record<string, number>;
  readonly read: Record<string, number>;
  readonly write: Record<string, number>;
  readonly rcu: number;
  readonly wcu: number;
}

interface ConcurrencyResult {
  readonly concurrency: number;
  readonly service: Summary;
  readonly floor: Summary;
  /**
   * Time per operation of the service over that of the floor: the median of the rounds' ratios (each of a
   * service stretch and the floor stretch next to it).
   */
  readonly ratio: number;
  /** The same over the whole measurement (floor ops/s over service ops/s): more exposed to bursts of load. */
  readonly ratioOverall: number;
  readonly roundRatios: readonly number[];
}

export interface OperationResult {
  readonly id: string;
  readonly label: string;
  readonly floorLabel: string;
  /** Size (DynamoDB's rules) of the pair item the operation puts, if it puts one. */
  readonly putItemBytes?: number;
  readonly serviceCalls: readonly string[];
  readonly floorCalls: readonly string[];
  readonly results: readonly ConcurrencyResult[];
  readonly capacity: {
    readonly service: CapacityPerOperation;
    readonly floor: CapacityPerOperation;
    readonly design: DesignCapacity;
    readonly matchesDesign: boolean;
  };
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

function perOperation(meter: Meter, ops: number): CapacityPerOperation {
  const divide = (units: Record<string, number>) =>
    Object.fromEntries(Object.entries(units).map(([target, value]) => [target, round3(value / ops)]));
  const read = divide(meter.read);
  const write = divide(meter.write);
  const total = (units: Record<string, number>) => round3(Object.values(units).reduce((sum, value) => sum + value, 0));
  return { calls: divide(meter.calls), read, write, rcu: total(read), wcu: total(write) };
}

/** The item a recorded operation puts: a PutItem's, or the Put of a transaction. */
function putItemOf(recorded: readonly RecordedCommand[]): Record<string, unknown> | undefined {
  for (const { name, input } of recorded) {
    if (name === 'PutCommand') return input.Item as Record<string, unknown>;
    if (name === 'TransactWriteCommand') {
      const put = (input.TransactItems as { Put?: { Item: Record<string, unknown> } }[]).find((action) => action.Put);
      if (put?.Put) return put.Put.Item;
    }
  }
  return undefined;
}

/**
 * Runs one scenario: records the service's DynamoDB calls for one operation (the floor's template), warms
 * both sides, then measures each concurrency with service and floor alternating.
 */
export async function runOperationScenario(
  scenario: OperationScenario,
  context: ScenarioContext,
  options: BenchOptions,
): Promise<OperationResult> {
  const { metered } = context.env;
  const count = scenario.bcrypt ? options.bcryptOps : options.ops;
  const warmup = scenario.bcrypt ? Math.min(options.warmup, 5) : options.warmup;
  const prepared = await scenario.prepare(context, 1 + warmup + count * options.concurrencies.length);
  const serviceSequence = new Sequence();
  const floorSequence = new Sequence();

  const recorded = await metered.record(() => prepared.service(serviceSequence.take()));
  const floor = prepared.floor(recorded);
  const floorCalls = await metered.record(() => floor(floorSequence.take()));

  const warmupConcurrency = Math.max(...options.concurrencies);
  metered.meter = new Meter();
  await closedLoop(prepared.service, serviceSequence, warmup, warmupConcurrency);
  await closedLoop(floor, floorSequence, warmup, warmupConcurrency);

  const serviceMeter = new Meter();
  const floorMeter = new Meter();
  const results: ConcurrencyResult[] = [];
  for (const concurrency of options.concurrencies) {
    const samples = await alternate(
      { operation: prepared.service, sequence: serviceSequence, enter: () => (metered.meter = serviceMeter) },
      { operation: floor, sequence: floorSequence, enter: () => (metered.meter = floorMeter) },
      count,
      concurrency,
      options.rounds,
    );
    const service = summarize(samples.service);
    const floorSummary = summarize(samples.floor);
    results.push({
      concurrency,
      service,
      floor: floorSummary,
      ratio: median(samples.roundRatios),
      ratioOverall: floorSummary.opsPerSecond / service.opsPerSecond,
      roundRatios: samples.roundRatios.map(round3),
    });
  }
  metered.meter = new Meter();

  const measured = count * options.concurrencies.length;
  const service = perOperation(serviceMeter, measured);
  const put = putItemOf(recorded);
  return {
    id: scenario.id,
    label: scenario.label,
    floorLabel: scenario.floorLabel,
    ...(put !== undefined && { putItemBytes: itemBytes(put) }),
    serviceCalls: recorded.map((c) => operationOf(c.name)),
    floorCalls: floorCalls.map((c) => operationOf(c.name)),
    results,
    capacity: {
      service,
      floor: perOperation(floorMeter, measured),
      design: scenario.design,
      matchesDesign: service.rcu === scenario.design.rcu && service.wcu === scenario.design.wcu,
    },
  };
}

/** The operations the issue asks for, in the order of the report. */
export function operationScenarios(): OperationScenario[] {
  return [
    clientCredentialsGrant((env) => env.users.elastic, 'reserved', false),
    // File-realm passwords are checked by bcrypt once per warm instance, then by the success cache.
    clientCredentialsGrant((env) => env.users.fileClient, 'file realm, warm bcrypt cache', false),
    passwordGrant((env) => env.users.fileUser, 'file realm user, warm bcrypt cache', false),
    refreshGrant(false),
    refreshGrant(true),
    bearerAuthentication(false),
    bearerAuthentication(true),
    invalidateAccessToken,
    invalidateClientCredentialsToken,
  ];
}
