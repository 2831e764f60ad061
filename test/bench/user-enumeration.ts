import { randomBytes } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { BCRYPT_COST } from '../../functions/security/authc/passwords/bcrypt';
import { createService } from '../../functions/service';
import { createRolesTable, createUsersTable } from '../support/dynamodb';
import { testUser } from '../support/test-users';
import type { BenchEnvironment } from './fixtures';
import { basic, createHandlers, invoke } from './lambda';
import { median } from './load';
import type { BenchOptions } from './options';

/**
 * Basic authentication that fails, timed by kind of failure: a name no realm has, and a real user (file or
 * native, bcrypt cost 10 as shipped, or `elastic`) with a wrong password. If an unknown name answered faster,
 * the timing alone would tell an attacker which names exist (user enumeration); if `elastic` did, guessing the
 * superuser's password would be cheaper than any other.
 */
export interface EnumerationResult {
  /** Failed authentications timed per kind, alternating kinds so that load drift hits all alike. */
  readonly samples: number;
  readonly medianMs: {
    readonly unknownUser: number;
    readonly wrongFilePassword: number;
    readonly wrongNativePassword: number;
    readonly wrongElasticPassword: number;
  };
  /** The slowest kind's median over the fastest's: 1 is indistinguishable. */
  readonly ratio: number;
}

const AUTHENTICATE = '/_security/_authenticate';

export async function runEnumerationSuite(
  env: BenchEnvironment,
  options: BenchOptions,
  progress: (line: string) => void,
): Promise<EnumerationResult> {
  progress('failed Basic authentication: unknown user against wrong password');
  const tokensTable = await env.createTable();
  const usersTable = await createUsersTable(env.client);
  const rolesTable = await createRolesTable(env.client);
  try {
    const service = createService({ ...env.config(tokensTable), usersTable, rolesTable });
    const nativeUser = { username: 'bench_native', password: randomBytes(18).toString('base64url') };
    // The user API hashes at Elasticsearch's cost, as every native user created in production is.
    await service.users.put({ ...testUser(nativeUser.username), ...nativeUser });
    const handlers = createHandlers(service);
    const kinds = {
      unknownUser: basic('no_such_user', 'a-guess'),
      wrongFilePassword: basic(env.users.fileUser.username, 'a-guess'),
      wrongNativePassword: basic(nativeUser.username, 'a-guess'),
      wrongElasticPassword: basic('elastic', 'a-guess'),
    };
    const times: Record<keyof typeof kinds, number[]> = {
      unknownUser: [],
      wrongFilePassword: [],
      wrongNativePassword: [],
      wrongElasticPassword: [],
    };
    const samples = Math.max(options.bcryptOps, 20);
    for (let i = 0; i < samples + options.warmup / 10; i++) {
      for (const [kind, authorization] of Object.entries(kinds) as [keyof typeof kinds, string][]) {
        const t0 = performance.now();
        await invoke(handlers, { method: 'GET', path: AUTHENTICATE, authorization }, 401);
        if (i >= options.warmup / 10) times[kind].push(performance.now() - t0);
      }
    }
    const medianMs = {
      unknownUser: median(times.unknownUser),
      wrongFilePassword: median(times.wrongFilePassword),
      wrongNativePassword: median(times.wrongNativePassword),
      wrongElasticPassword: median(times.wrongElasticPassword),
    };
    const values = Object.values(medianMs);
    return { samples, medianMs, ratio: Math.max(...values) / Math.min(...values) };
  } finally {
    for (const table of [tokensTable, usersTable, rolesTable])
      await env.client.send(new DeleteTableCommand({ TableName: table }));
  }
}

/** For the report: the cost every kind pays, stated so that a reader can check the figures against it. */
export const ENUMERATION_NOTE =
  `each kind pays one bcrypt check at cost ${BCRYPT_COST}, and all but \`elastic\` (reserved realm, asked first) ` +
  'one read of the native realm';
