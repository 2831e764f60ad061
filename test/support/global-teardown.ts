import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import { createDynamoDbClient } from '../../functions/store/dynamodb-client';
import type { DynamoDbLocal } from '../../infra/local/dynamodb-local';
import { TEST_REGION } from './dynamodb';
import { RUN_TMPDIR_PREFIX } from './global-setup';
import { auditDirectory, auditSecrets } from './secrets-audit';

type RunState = { __dynamodbLocal?: DynamoDbLocal };

/** The run's DynamoDB Local, for the teardown: global setup and teardown share jest's main process. */
export function startedDynamoDbLocal(dynamodb: DynamoDbLocal): void {
  (globalThis as RunState).__dynamodbLocal = dynamodb;
}

/**
 * After every suite of every tier: the secrets audit over every table (when the run started DynamoDB Local)
 * and every log line of the run (README, Security), then DynamoDB Local stops. A finding fails the run,
 * naming where it is, never the secret itself.
 */
export default async function globalTeardown(): Promise<void> {
  const dynamodb = (globalThis as RunState).__dynamodbLocal;
  const directory = auditDirectory();
  try {
    if (directory === undefined) return;
    const client =
      dynamodb === undefined ? undefined : createDynamoDbClient({ region: TEST_REGION, endpoint: dynamodb.endpoint });
    const { findings, summary } = await auditSecrets(client, directory);
    process.stderr.write(`\n${summary}: ${findings.length === 0 ? 'nothing found' : `${findings.length} found`}\n`);
    if (findings.length > 0) {
      const shown = findings.slice(0, 20).map((f) => `  ${f.where}: ${f.what}`);
      throw new Error(`The secrets audit found secrets stored or logged:\n${shown.join('\n')}`);
    }
  } finally {
    await dynamodb?.stop();
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
    const runDirectory = process.env.TMPDIR;
    if (runDirectory !== undefined && basename(runDirectory).startsWith(RUN_TMPDIR_PREFIX)) {
      rmSync(runDirectory, { recursive: true, force: true });
    }
  }
}
