import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SweepJob } from '../tokens/invalidation-sweep';
import type { SweepContinuation } from '../tokens/sweep-continuation';

/** The event a function sends itself to go on with a sweep; it never comes from API Gateway. */
export interface SweepEvent {
  readonly invalidationSweep: SweepJob;
}

export function isSweepEvent(event: unknown): event is SweepEvent {
  return typeof event === 'object' && event !== null && 'invalidationSweep' in event;
}

/**
 * Deployed continuation: an asynchronous (`Event`) invocation of this same function with the job. Lambda
 * queues it and retries it on failure; the conditional writes make a repeated run harmless.
 */
export class LambdaSweepContinuation implements SweepContinuation {
  private client?: LambdaClient;

  constructor(private readonly functionName: string) {}

  async continueLater(job: SweepJob): Promise<void> {
    // Loaded on first use: only a sweep that outlives its budget needs it, and every cold start would pay
    // for loading the Lambda client otherwise (about 20 ms, measured by npm run bench).
    const { InvokeCommand, LambdaClient } = await import('@aws-sdk/client-lambda');
    this.client ??= new LambdaClient({});
    const event: SweepEvent = { invalidationSweep: job };
    await this.client.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify(event)),
      }),
    );
  }
}
