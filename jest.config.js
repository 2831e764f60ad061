const { availableParallelism } = require('node:os');

/**
 * The test tiers (docs/design.md, Tests), one jest project each, chosen by folder so a new test file joins
 * its folder's tier with no list to edit:
 * - unit (test/unit): no I/O, no DynamoDB Local; `npm run test:unit` runs it alone in seconds;
 * - infra (test/infra): the CDK app synthesized in process, and `cdk synth` by the CLI, whose bundles answer
 *   requests against DynamoDB Local;
 * - service (test/integration, test/e2e, test/robustness, and any new folder): DynamoDB Local, the local API over HTTP, `npm start`
 *   processes, the identity providers and the fuzz suites.
 * Every tier logs into the secrets audit of the whole run (global-setup.ts and global-teardown.ts, for every
 * project); only the tiers that use DynamoDB Local start it (dynamodb-setup.ts), once for the run.
 */
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  // swc strips types only; `npm run typecheck` is the type check.
  transform: { '^.+\\.[tj]s$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // middy 6 ships ESM with a require export, jose ESM only, and the revocation events import the EventBridge
  // client's own ES modules (functions/aws/eventbridge-put.ts): jest cannot load them untransformed.
  transformIgnorePatterns: ['/node_modules/(?!(@middy|jose|@aws-sdk/client-eventbridge/dist-es)/)'],
  setupFiles: ['<rootDir>/test/support/setup-env.ts', '<rootDir>/test/support/audit-log.ts'],
};

const withDynamoDb = { ...shared, globalSetup: '<rootDir>/test/support/dynamodb-setup.ts' };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...withDynamoDb, displayName: 'infra', testMatch: ['<rootDir>/test/infra/**/*.test.ts'] },
    {
      ...withDynamoDb,
      displayName: 'service',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/unit/', '<rootDir>/test/infra/'],
    },
  ],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30_000,
  // Most suites wait on DynamoDB Local, child processes and sockets rather than compute: on a 2-core machine
  // jest's default (cores - 1 = 1) runs every file in band, one after the other.
  maxWorkers: Math.max(2, availableParallelism()),
  // A worker that has loaded aws-cdk-lib or the AWS SDK for a few files in a row is replaced rather than left to
  // slow every later file with garbage collection (one process for the whole run reached 1.7 GB).
  workerIdleMemoryLimit: '600MB',
};
