import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../functions/config';
import { createService } from '../../functions/service';
import { createDynamoDbClient } from '../../functions/store/dynamodb-client';
import { ROLES_TABLE, TOKENS_TABLE, USERS_TABLE } from '../../functions/store/tables';
import { ensureTable } from '../../infra/local/bootstrap';
import { startLocalApi } from '../../infra/local/server';

export interface FloodResult {
  readonly passwordWorkers: boolean;
  readonly floodConcurrency: number;
  readonly bearerRequests: number;
  readonly bearerP50Ms: number;
  readonly bearerP99Ms: number;
  readonly wrongPasswordsAnswered: number;
}

const ELASTIC = 'bench-elastic-password';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/**
 * The local API under a flood of wrong passwords for a native user (each one pays bcrypt at cost 10):
 * the latency of Bearer authentications sent meanwhile, one after another, with bcrypt on the event loop
 * and in worker threads. Not a test: it asserts nothing.
 */
export async function runPasswordFlood(
  endpoint: string,
  {
    passwordWorkers,
    floodConcurrency = 16,
    bearerRequests = 50,
  }: { passwordWorkers: boolean; floodConcurrency?: number; bearerRequests?: number },
): Promise<FloodResult> {
  const client = createDynamoDbClient({ region: 'us-east-1', endpoint });
  const names = {
    TOKENS_TABLE: `flood-tokens-${randomUUID()}`,
    USERS_TABLE: `flood-users-${randomUUID()}`,
    ROLES_TABLE: `flood-roles-${randomUUID()}`,
  };
  await ensureTable(client, TOKENS_TABLE, names.TOKENS_TABLE);
  await ensureTable(client, USERS_TABLE, names.USERS_TABLE);
  await ensureTable(client, ROLES_TABLE, names.ROLES_TABLE);
  const service = createService(
    loadConfig({ AWS_REGION: 'us-east-1', DYNAMODB_ENDPOINT: endpoint, ELASTIC_PASSWORD: ELASTIC, ...names }),
  );
  const api = await startLocalApi(service, { port: 0, passwordWorkers });
  try {
    const send = (method: string, path: string, authorization: string, body?: unknown) =>
      fetch(`${api.url}${path}`, {
        method,
        headers: { authorization, ...(body !== undefined && { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> }));
    await send('PUT', '/_security/user/flooded', basic('elastic', ELASTIC), { password: 'the-right-password', roles: [] });
    const token = await send('POST', '/_security/oauth2/token', basic('elastic', ELASTIC), { grant_type: 'client_credentials' });
    const bearer = `Bearer ${String(token.body.access_token)}`;

    let flooding = true;
    let wrongPasswordsAnswered = 0;
    const flood = Array.from({ length: floodConcurrency }, async () => {
      while (flooding) {
        // A connection the server closed while idle is the flood's loss, not the measurement's.
        const answered = await send('GET', '/_security/_authenticate', basic('flooded', `wrong-${randomUUID()}`)).catch(
          () => undefined,
        );
        if (answered) wrongPasswordsAnswered++;
      }
    });
    const latencies: number[] = [];
    for (let i = 0; i < bearerRequests; i++) {
      const t0 = performance.now();
      await send('GET', '/_security/_authenticate', bearer);
      latencies.push(performance.now() - t0);
    }
    flooding = false;
    await Promise.all(flood);
    latencies.sort((a, b) => a - b);
    return {
      passwordWorkers,
      floodConcurrency,
      bearerRequests,
      bearerP50Ms: percentile(latencies, 50),
      bearerP99Ms: percentile(latencies, 99),
      wrongPasswordsAnswered,
    };
  } finally {
    await api.close();
  }
}

export function renderFlood(results: readonly FloodResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.passwordWorkers ? 'worker threads' : 'event loop'} | ${r.floodConcurrency} | ${r.bearerP50Ms.toFixed(1)} | ${r.bearerP99Ms.toFixed(1)} | ${r.wrongPasswordsAnswered} |`,
  );
  return [
    '',
    '### Local API: Bearer latency under a flood of wrong passwords',
    '',
    '| bcrypt on | wrong passwords in flight | Bearer p50 (ms) | Bearer p99 (ms) | wrong passwords answered |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
