import { createAuditDirectory } from './secrets-audit';

/**
 * Once for the whole run, whichever tiers it selects (jest.config.js): the secrets audit's directory, which
 * every worker writes into and the global teardown reads. DynamoDB Local is started only for the tiers that
 * use it (dynamodb-setup.ts).
 */
export default async function globalSetup(): Promise<void> {
  createAuditDirectory();
}
