import type { SQSClient } from '@aws-sdk/client-sqs';
import { isSweepEvent } from './lambda-sweep-continuation';

/** Sends a job that gave up to the function again, as a redrive (lambda-sweep-continuation.ts). */
export interface Redriver {
  continueLater(jobId: string, redrive: true): Promise<void>;
}

/** A message of the sweep failure queue: what Lambda's on-failure destination sent. */
export interface FailedEventMessage {
  readonly body: string;
  readonly receipt: string;
}

/** The failure queue as the redrive uses it (SqsFailureQueue deployed; a fake in tests). */
export interface FailureQueue {
  /** Up to ten messages; none when the queue is empty. */
  receive(): Promise<FailedEventMessage[]>;
  remove(receipt: string): Promise<void>;
}

export interface RedriveReport {
  /** Jobs handed to the continuation again, by id. */
  readonly redriven: string[];
  /** Messages that are not a sweep's failed event: left in the queue for a person to read. */
  readonly unreadable: number;
}

/**
 * The job id of a failed continuation event. Lambda's destination record carries the invocation's payload
 * as `requestPayload` (an object; a string in some records).
 */
export function failedJobId(body: string): string | undefined {
  try {
    const record = JSON.parse(body) as { requestPayload?: unknown };
    const payload = typeof record.requestPayload === 'string' ? JSON.parse(record.requestPayload) : record.requestPayload;
    return isSweepEvent(payload) ? payload.invalidationSweep.jobId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Redrives the sweeps that failed in the background: each failed event's job goes on from its record (where
 * it stood when it gave up), through the normal continuation; the message is removed once handed on. Run it
 * once the cause (throttling, a permission, a table restored) is fixed: `npm run redrive-sweeps`.
 */
export async function redriveFailedSweeps(queue: FailureQueue, continuation: Redriver): Promise<RedriveReport> {
  const redriven: string[] = [];
  const seen = new Set<string>();
  let unreadable = 0;
  for (let messages = await queue.receive(); messages.length > 0; messages = await queue.receive()) {
    let progressed = false;
    for (const message of messages) {
      const jobId = failedJobId(message.body);
      if (jobId === undefined) {
        // Received again after the visibility timeout would loop; count each receipt once and stop at repeats.
        if (!seen.has(message.receipt)) unreadable++;
        seen.add(message.receipt);
        continue;
      }
      await continuation.continueLater(jobId, true);
      await queue.remove(message.receipt);
      redriven.push(jobId);
      progressed = true;
    }
    if (!progressed) break;
  }
  return { redriven, unreadable };
}

/** The deployed failure queue. Unread messages become visible again after 5 minutes. */
export class SqsFailureQueue implements FailureQueue {
  constructor(
    private readonly client: Pick<SQSClient, 'send'>,
    private readonly queueUrl: string,
  ) {}

  async receive(): Promise<FailedEventMessage[]> {
    const { ReceiveMessageCommand } = await import('@aws-sdk/client-sqs');
    const { Messages = [] } = await this.client.send(
      new ReceiveMessageCommand({ QueueUrl: this.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 300 }),
    );
    return Messages.flatMap((m) =>
      m.Body !== undefined && m.ReceiptHandle !== undefined ? [{ body: m.Body, receipt: m.ReceiptHandle }] : [],
    );
  }

  async remove(receipt: string): Promise<void> {
    const { DeleteMessageCommand } = await import('@aws-sdk/client-sqs');
    await this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receipt }));
  }
}
