import { DynamoDbTokenStore } from '../../functions/store/dynamodb-token-store';
import { userDigest } from '../../functions/tokens/scope-digest';
import type { BenchEnvironment } from './fixtures';
import { createHandlers } from './lambda';
import { bearerAuthentication, type OperationResult, runOperationScenario } from './operations';
import type { BenchOptions } from './options';

/** Revocations in flight while the watermarks of a level are written. */
const WRITERS = 64;

export interface RevokedScopesLevel {
  /** Distinct user-wide watermarks in the table, none of them of the measured tokens' scopes. */
  readonly revokedScopes: number;
  /** Writing this level's new watermarks through the store port (not part of any figure). */
  readonly writingSeconds: number;
  readonly authentication: OperationResult;
}

/**
 * Authentication (Bearer) against its floor, the same BatchGetItem of the pair and its scopes' watermark
 * items, with 0, 1,000, 100,000 (`--revoked-scopes`) distinct users revoked by other callers: what a token use
 * reads must not grow with them (DESIGN §6). The watermarks are written through the store port, in parallel,
 * one level on top of the other; each level is measured with the operation suite's method and options.
 */
export async function runRevokedScopesSuite(
  env: BenchEnvironment,
  options: BenchOptions,
  progress: (line: string) => void,
): Promise<RevokedScopesLevel[]> {
  const table = await env.createTable();
  const service = env.service(table);
  const context = { env, table, config: service.config, handlers: createHandlers(service) };
  const store = new DynamoDbTokenStore({ client: env.documents, tableName: table, indexShards: service.config.indexShards });
  const levels: RevokedScopesLevel[] = [];
  let written = 0;
  for (const revokedScopes of [...options.revokedScopes].sort((a, b) => a - b)) {
    progress(`authentication with ${revokedScopes} revoked scopes: writing watermarks`);
    const started = performance.now();
    let next = written;
    const worker = async () => {
      for (let n = next++; n < revokedScopes; n = next++) {
        await store.revoke({ scope: { user: userDigest(`revoked-user-${n}`) }, through: Date.now() });
      }
    };
    await Promise.all(Array.from({ length: WRITERS }, worker));
    written = Math.max(written, revokedScopes);
    const writingSeconds = (performance.now() - started) / 1000;
    progress(`authentication with ${revokedScopes} revoked scopes: measuring`);
    const authentication = await runOperationScenario(bearerAuthentication(false), context, options);
    levels.push({ revokedScopes, writingSeconds, authentication });
  }
  await env.dropTable(table);
  return levels;
}
