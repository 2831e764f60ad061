import { rmSync } from 'node:fs';
import { createDynamoDbClient } from '../../functions/store/dynamodb-client';
import type { DynamoDbLocal } from '../../infra/local/dynamodb-local';
import { TEST_REGION } from './dynamodb';
import { auditDirectory, auditSecrets } from './secrets-audit';

/**
 * After every suite: the secrets audit over every table and every log line of the run (README, Security),
 * then DynamoDB Local stops. A finding fails the run, naming where it is, never the secret itself.
 */
export default async function globalTeardown(): Promise<void> {
  const dynamodb = (globalThis as { __dynamodbLocal?: DynamoDbLocal }).__dynamodbLocal;
  const directory = auditDirectory();
  try {
    if (dynamodb === undefined || directory === undefined) return;
    const { findings, summary } = await auditSecrets(
      createDynamoDbClient({ region: TEST_REGION, endpoint: dynamodb.endpoint }),
      directory,
    );
    process.stderr.write(`\n${summary}: ${findings.length === 0 ? 'nothing found' : `${findings.length} found`}\n`);
    if (findings.length > 0) {
      const shown = findings.slice(0, 20).map((f) => `  ${f.where}: ${f.what}`);
      throw new Error(`The secrets audit found secrets stored or logged:\n${shown.join('\n')}`);
    }
  } finally {
    await dynamodb?.stop();
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  }
}
