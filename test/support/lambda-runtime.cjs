// Runs a bundled Lambda handler as the Node.js runtime does: one process is one cold start, the module is
// loaded once, and each event is then invoked in turn with a Lambda context. Plain Node, no transpiler:
// the bundle must stand on its own. Usage: node lambda-runtime.cjs <bundle.js> <events.json>;
// the responses are written as one JSON array to file descriptor 3.
const { randomUUID } = require('node:crypto');
const { readFileSync, writeSync } = require('node:fs');

const [bundle, eventsFile] = process.argv.slice(2);
const { handler } = require(bundle);

async function main() {
  const results = [];
  for (const event of JSON.parse(readFileSync(eventsFile, 'utf8'))) {
    const requestId = randomUUID();
    const context = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
      logStreamName: 'local',
      getRemainingTimeInMillis: () => 29_000,
    };
    results.push({ requestId, response: await handler(event, context) });
  }
  writeSync(3, JSON.stringify(results));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
