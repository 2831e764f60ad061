import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SweepContinuation } from '../tokens/sweep-runner';

/** The event a function sends itself to go on with a sweep job, by its id; it never comes from API Gateway. */
export interface SweepEvent {
  /** `redrive`: the job gave up and an operator sends it again (npm run redrive-sweeps). */
  readonly invalidationSweep: { readonly jobId: string; readonly redrive?: boolean };
}

export function isSweepEvent(event: unknown): event is SweepEvent {
  if (typeof event !== 'object' || event === null || !('invalidationSweep' in event)) return false;
  const sweep = (event as { invalidationSweep: unknown }).invalidationSweep;
  return typeof sweep === 'object' && sweep !== null && typeof (sweep as { jobId?: unknown }).jobId === 'string';
}

/** The scheduled event (an EventBridge rule) that hands on jobs whose runner stopped reporting. */
export interface ResumeSweepsEvent {
  readonly resumeInvalidationSweeps: true;
}

export function isResumeSweepsEvent(event: unknown): event is ResumeSweepsEvent {
  return typeof event === 'object' && event !== null && (event as Partial<ResumeSweepsEvent>).resumeInvalidationSweeps === true;
}

/** The Lambda API as the continuation uses it: a client, or a fake in tests. */
export type InvokeClient = Pick<LambdaClient, 'send'>;

/** Bounds on the hand-off: it happens before the answer, which must stay inside the gateway's 29 s. */
const INVOKE_TIMEOUT_MS = 2_000;

/**
 * Deployed continuation: an asynchronous (`Event`) invocation of this same function with the job's id.
 * Lambda queues it, retries a failed run a bounded number of times and then sends the event to the
 * on-failure destination (the stack's sweep failure queue); the job's record lets any run go on with it.
 */
export class LambdaSweepContinuation implements SweepContinuation {
  private client?: InvokeClient;

  constructor(
    private readonly functionName: string,
    client?: InvokeClient,
  ) {
    this.client = client;
  }

  async continueLater(jobId: string, redrive = false): Promise<void> {
    // Loaded on first use: only a sweep that outlives its budget needs it (lambda-invoke.ts).
    const { InvokeCommand, LambdaClient } = await import('./lambda-invoke');
    this.client ??= new LambdaClient({
      maxAttempts: 2,
      requestHandler: { requestTimeout: INVOKE_TIMEOUT_MS, connectionTimeout: INVOKE_TIMEOUT_MS / 2 },
    });
    const event: SweepEvent = { invalidationSweep: { jobId, ...(redrive && { redrive }) } };
    const reply = await this.client.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify(event)),
      }),
    );
    // An Event invocation is accepted with 202; anything else did not queue the job.
    if (reply.StatusCode !== undefined && reply.StatusCode !== 202) {
      throw new Error(`the continuation was not queued (status ${reply.StatusCode})`);
    }
  }
}
