import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { failedJobId, redriveFailedSweeps, SqsFailureQueue } from '../../../functions/aws/sweep-redrive';

/** What Lambda's on-failure destination sends for a failed asynchronous invocation (abridged). */
const failedRecord = (payload: unknown) =>
  JSON.stringify({
    version: '1.0',
    requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: payload,
    responseContext: { statusCode: 200, functionError: 'Unhandled' },
  });

/** SQS, faked (DynamoDB Local has no SQS): a queue whose messages are received until deleted. */
function fakeSqs(bodies: string[]) {
  const messages = bodies.map((Body, i) => ({ Body, ReceiptHandle: `receipt-${i}` }));
  const deleted: string[] = [];
  const client = {
    send: async (command: unknown) => {
      if (command instanceof ReceiveMessageCommand) {
        return {
          Messages: messages.filter((m) => !deleted.includes(m.ReceiptHandle)).slice(0, command.input.MaxNumberOfMessages),
        };
      }
      if (command instanceof DeleteMessageCommand) return void deleted.push(command.input.ReceiptHandle as string);
      throw new Error('unexpected command');
    },
  };
  return { client, deleted };
}

describe('redriving failed sweeps from the failure queue', () => {
  it('reads the job id of a failed continuation event, as an object or a string payload', () => {
    const event = { invalidationSweep: { jobId: 'job-1' } };
    expect(failedJobId(failedRecord(event))).toBe('job-1');
    expect(failedJobId(failedRecord(JSON.stringify(event)))).toBe('job-1');
    expect(failedJobId(failedRecord({ resumeInvalidationSweeps: true }))).toBeUndefined();
    expect(failedJobId('not json')).toBeUndefined();
  });

  it('hands every failed job on as a redrive, deletes its message, and leaves what it cannot read', async () => {
    const { client, deleted } = fakeSqs([
      failedRecord({ invalidationSweep: { jobId: 'a' } }),
      'garbage',
      failedRecord({ invalidationSweep: { jobId: 'b' } }),
    ]);
    const handedOn: [string, boolean][] = [];
    const report = await redriveFailedSweeps(new SqsFailureQueue(client as never, 'https://sqs.example/q'), {
      continueLater: async (jobId, redrive) => void handedOn.push([jobId, redrive]),
    });
    expect(report).toEqual({ redriven: ['a', 'b'], unreadable: 1 });
    expect(handedOn).toEqual([
      ['a', true],
      ['b', true],
    ]);
    expect(deleted).toEqual(['receipt-0', 'receipt-2']);
  });

  it('keeps the message of a job it could not hand on', async () => {
    const { client, deleted } = fakeSqs([failedRecord({ invalidationSweep: { jobId: 'a' } })]);
    const queue = new SqsFailureQueue(client as never, 'https://sqs.example/q');
    await expect(
      redriveFailedSweeps(queue, { continueLater: async () => Promise.reject(new Error('throttled')) }),
    ).rejects.toThrow('throttled');
    expect(deleted).toEqual([]);
  });
});
