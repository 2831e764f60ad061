import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// biome-ignore lint/suspicious/noExplicitAny: any command of the client, typed loosely on purpose
type Command = any;

/**
 * A real DynamoDB client with faults injected into chosen calls: `fault` sees each command and returns
 * an error to throw instead of sending it, a replacement command to send instead, or undefined to send
 * it as it is. DynamoDB itself is never mocked: everything not faulted reaches DynamoDB Local.
 */
export function withFaults(
  documents: DynamoDBDocumentClient,
  fault: (command: Command) => Error | Command | undefined,
): DynamoDBDocumentClient {
  const faulty = Object.create(documents) as DynamoDBDocumentClient;
  faulty.send = (async (command: Command) => {
    const injected = fault(command);
    if (injected instanceof Error) throw injected;
    return documents.send(injected ?? command);
  }) as DynamoDBDocumentClient['send'];
  return faulty;
}
