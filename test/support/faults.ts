import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// biome-ignore lint/suspicious/noExplicitAny: any command of the client, typed loosely on purpose
type Command = any;

/** The reply to a command that DynamoDB did carry out is lost: the caller sees this error instead. */
export class LostReply {
  constructor(readonly error: Error) {}
}

/** The command is carried out twice, as the SDK's own retry does after a reply it did not get. */
export class SentTwice {}

export type Fault = Error | LostReply | SentTwice | Command | undefined;

/**
 * A real DynamoDB client with faults injected into chosen calls: `fault` sees each command and returns
 * an error to throw instead of sending it, a `LostReply` (sent, then the error), `SentTwice`, a
 * replacement command to send instead, or undefined to send it as it is. DynamoDB itself is never
 * mocked: everything not faulted reaches DynamoDB Local.
 */
export function withFaults(documents: DynamoDBDocumentClient, fault: (command: Command) => Fault): DynamoDBDocumentClient {
  const faulty = Object.create(documents) as DynamoDBDocumentClient;
  faulty.send = (async (command: Command) => {
    const injected = fault(command);
    if (injected instanceof Error) throw injected;
    if (injected instanceof LostReply) {
      await documents.send(command);
      throw injected.error;
    }
    if (injected instanceof SentTwice) {
      await documents.send(command).catch(() => undefined);
      return documents.send(command);
    }
    return documents.send(injected ?? command);
  }) as DynamoDBDocumentClient['send'];
  return faulty;
}

/** An SDK-shaped service error: `name` and `$retryable` are what the adapters look at. */
export function serviceError(name: string, options: { retryable?: boolean; throttling?: boolean } = {}): Error {
  const error = new Error(`${name} (injected)`);
  error.name = name;
  if (options.retryable || options.throttling) {
    Object.assign(error, { $retryable: { throttling: options.throttling ?? false } });
  }
  return error;
}

/** What a fault plan can do to a call, as DynamoDB and the network do. */
export const FAULT_KINDS = {
  /** Throttled before anything was written. */
  throttle: () => serviceError('ProvisionedThroughputExceededException', { throttling: true }),
  /** A 500 from DynamoDB that did not apply the request. */
  error: () => serviceError('InternalServerError', { retryable: true }),
  /** The connection failed before the request arrived. */
  timeout: () => serviceError('TimeoutError', { retryable: true }),
  /** The request was applied, and its reply timed out. */
  lostReply: () => new LostReply(serviceError('TimeoutError', { retryable: true })),
  /** The request was applied, its reply lost, and the SDK sent it again. */
  sentTwice: () => new SentTwice(),
} as const;

export type FaultKind = keyof typeof FAULT_KINDS;

/** mulberry32: a small seeded generator, so a failing fault sequence can be replayed from its seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface FaultPlan {
  /** For `withFaults`: faults a `rate` of the calls while enabled, each with a kind drawn at random. */
  readonly fault: (command: Command) => Fault;
  enabled: boolean;
  /** How many calls of each command name were faulted, by kind. */
  readonly injected: Map<string, Map<FaultKind, number>>;
  count(commandName: string, kinds?: readonly FaultKind[]): number;
}

export function randomFaults(options: {
  seed: number;
  rate: number;
  kinds?: readonly FaultKind[];
  /** Only these commands (by class name, e.g. `UpdateCommand`) are faulted; all of them by default. */
  commands?: readonly string[];
}): FaultPlan {
  const random = seededRandom(options.seed);
  const kinds = options.kinds ?? (Object.keys(FAULT_KINDS) as FaultKind[]);
  const injected = new Map<string, Map<FaultKind, number>>();
  const plan: FaultPlan = {
    enabled: true,
    injected,
    fault: (command) => {
      const name = command.constructor.name as string;
      if (!plan.enabled || (options.commands && !options.commands.includes(name))) return undefined;
      if (random() >= options.rate) return undefined;
      const kind = kinds[Math.floor(random() * kinds.length)] as FaultKind;
      const byKind = injected.get(name) ?? new Map<FaultKind, number>();
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
      injected.set(name, byKind);
      return FAULT_KINDS[kind]();
    },
    count: (commandName, only = kinds) => only.reduce((sum, kind) => sum + (injected.get(commandName)?.get(kind) ?? 0), 0),
  };
  return plan;
}
