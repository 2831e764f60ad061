import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditDirectory } from './secrets-audit';

/** The run's temporary directory: its name starts so, and the global teardown removes it (global-teardown.ts). */
export const RUN_TMPDIR_PREFIX = 'es-token-test-run-';

/**
 * Once for the whole run, whichever tiers it selects (jest.config.js): one temporary directory for the run,
 * TMPDIR of every worker and of every process a test starts (the config directories, the synthesized apps,
 * `npm start`, `cdk synth`), which the teardown removes whole, so a run leaves nothing behind; then the
 * secrets audit's directory, which every worker writes into and the global teardown reads. DynamoDB Local is
 * started only for the tiers that use it (dynamodb-setup.ts).
 */
export default async function globalSetup(): Promise<void> {
  process.env.TMPDIR = mkdtempSync(join(tmpdir(), RUN_TMPDIR_PREFIX));
  createAuditDirectory();
}
