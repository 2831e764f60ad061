/**
 * `npm run redrive-sweeps -- --queue-url URL --function-name NAME [--region REGION]`: hands every
 * invalidation sweep whose background run failed (the stack's sweep failure queue, output
 * SweepFailuresQueueUrl) back to the invalidate function, which goes on with each job from its record.
 * Uses the current AWS credentials: sqs:ReceiveMessage/DeleteMessage on the queue, lambda:InvokeFunction.
 */
import { parseArgs } from 'node:util';
import { LambdaSweepContinuation } from '../functions/aws/lambda-sweep-continuation';
import { redriveFailedSweeps, SqsFailureQueue } from '../functions/aws/sweep-redrive';

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { 'queue-url': { type: 'string' }, 'function-name': { type: 'string' }, region: { type: 'string' } },
  });
  const queueUrl = values['queue-url'];
  const functionName = values['function-name'];
  if (queueUrl === undefined || functionName === undefined) {
    console.error('usage: npm run redrive-sweeps -- --queue-url URL --function-name NAME [--region REGION]');
    return 2;
  }
  const region = values.region ?? process.env.AWS_REGION;
  const { SQSClient } = await import('@aws-sdk/client-sqs');
  const { LambdaClient } = await import('@aws-sdk/client-lambda');
  const report = await redriveFailedSweeps(
    new SqsFailureQueue(new SQSClient({ region }), queueUrl),
    new LambdaSweepContinuation(functionName, new LambdaClient({ region })),
  );
  console.log(`redriven: ${report.redriven.length} job(s)${report.redriven.map((id) => `\n  ${id}`).join('')}`);
  if (report.unreadable > 0)
    console.log(`left in the queue: ${report.unreadable} message(s) that are not a sweep's failed event`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
