import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { matches, parseRules } from '../../functions/security/authz/role-mapping/rules';
import { expressionModel } from '../../functions/security/authz/role-mapping/user-data';
import { RUN_AS_HEADER } from '../../functions/security/authz/run-as';
import { createService } from '../../functions/service';
import { createRolesTable, createUsersTable } from '../support/dynamodb';
import type { BenchEnvironment } from './fixtures';
import { basic, createHandlers, invoke, type Request } from './lambda';
import { median } from './load';
import type { BenchOptions } from './options';

/**
 * The worst inputs a caller or a role author can choose for the pattern matchers, timed next to a plain
 * request: `filter_path` with a run of `*` and of `**`, a `run_as` regex with nested quantifiers and a long
 * run-as header, a held `cluster:*?*?…X` privilege, and a role-mapping rule's regex against a long groups
 * claim (in process: an SSO login's other costs would hide it). On a backtracking engine each took seconds
 * or more; linear matchers keep them within noise of the plain request. Not a test: it asserts nothing.
 */
export interface PatternResult {
  readonly samples: number;
  /** Median milliseconds per kind of request. */
  readonly medianMs: Readonly<Record<string, number>>;
}

const AUTHENTICATE = '/_security/_authenticate';
const NESTED_RUNNER = { username: 'bench_nested_runner', password: 'bench-nested-runner-password' };
const STARRY = { username: 'bench_starry', password: 'bench-starry-password' };
/** The same requests with ordinary patterns: the same reads, so the difference is the matching. */
const PLAIN = { username: 'bench_plain', password: 'bench-plain-password' };

export async function runPatternSuite(
  env: BenchEnvironment,
  options: BenchOptions,
  progress: (line: string) => void,
): Promise<PatternResult> {
  progress('pattern matching on the worst inputs, against a plain request');
  const tokensTable = await env.createTable();
  const usersTable = await createUsersTable(env.client);
  const rolesTable = await createRolesTable(env.client);
  try {
    const handlers = createHandlers(createService({ ...env.config(tokensTable), usersTable, rolesTable }));
    const admin = basic('elastic', env.users.elastic.password);
    const put = (path: string, body: unknown) => invoke(handlers, { method: 'PUT', path, authorization: admin, body });
    await put('/_security/role/bench_nested', { cluster: [], run_as: ['/(a+)+b/'] });
    await put('/_security/role/bench_starry', { cluster: [`cluster:${'*?'.repeat(16)}X`] });
    await put('/_security/role/bench_plain', { cluster: ['cluster:admin/xpack/security/role/*'], run_as: ['bench_nobody'] });
    await put(`/_security/user/${PLAIN.username}`, { password: PLAIN.password, roles: ['bench_plain'] });
    await put(`/_security/user/${NESTED_RUNNER.username}`, { password: NESTED_RUNNER.password, roles: ['bench_nested'] });
    await put(`/_security/user/${STARRY.username}`, { password: STARRY.password, roles: ['bench_starry'] });

    const client = basic(env.users.fileClient.username, env.users.fileClient.password);
    const kinds: Record<string, { request: Request; status: number } | (() => void)> = {
      'GET _authenticate (file user)': {
        request: { method: 'GET', path: AUTHENTICATE, authorization: client },
        status: 200,
      },

      'GET _authenticate?filter_path=40 × * then X': {
        request: { method: 'GET', path: `${AUTHENTICATE}?filter_path=${'*'.repeat(40)}X`, authorization: client },
        status: 200,
      },
      'GET _authenticate?filter_path=700 × **.name': {
        request: { method: 'GET', path: `${AUTHENTICATE}?filter_path=${'**.'.repeat(700)}name`, authorization: client },
        status: 200,
      },
      'run_as [bench_nobody], 40-character header (native user)': {
        request: {
          method: 'GET',
          path: AUTHENTICATE,
          authorization: basic(PLAIN.username, PLAIN.password),
          headers: { [RUN_AS_HEADER]: 'a'.repeat(40) },
        },
        status: 403,
      },
      'run_as /(a+)+b/, 40-character header (native user)': {
        request: {
          method: 'GET',
          path: AUTHENTICATE,
          authorization: basic(NESTED_RUNNER.username, NESTED_RUNNER.password),
          headers: { [RUN_AS_HEADER]: 'a'.repeat(40) },
        },
        status: 403,
      },
      'cluster:admin/xpack/security/role/*, GET /_security/user (native user)': {
        request: { method: 'GET', path: '/_security/user', authorization: basic(PLAIN.username, PLAIN.password) },
        status: 403,
      },
      'cluster:*?×16 X, GET /_security/user (native user)': {
        request: { method: 'GET', path: '/_security/user', authorization: basic(STARRY.username, STARRY.password) },
        status: 403,
      },
      'role mapping /a+b/, 40-character group (in process)': roleMappingMatch('/a+b/'),
      'role mapping /(a+)+b/, 40-character group (in process)': roleMappingMatch('/(a+)+b/'),
    };
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(kinds).map((kind) => [kind, []]));
    const samples = Math.max(options.bcryptOps, 20);
    const warmup = Math.ceil(options.warmup / 10);
    for (let i = 0; i < samples + warmup; i++) {
      for (const [kind, work] of Object.entries(kinds)) {
        const t0 = performance.now();
        if (typeof work === 'function') work();
        else await invoke(handlers, work.request, work.status);
        if (i >= warmup) times[kind]?.push(performance.now() - t0);
      }
    }
    return { samples, medianMs: Object.fromEntries(Object.entries(times).map(([kind, t]) => [kind, median(t)])) };
  } finally {
    for (const table of [tokensTable, usersTable, rolesTable])
      await env.client.send(new DeleteTableCommand({ TableName: table }));
  }
}

/** Parsing a mapping's rules and matching them against an SSO user whose groups claim is 40 `a`s. */
function roleMappingMatch(pattern: string): () => void {
  const user = { username: 'sso_user', groups: ['a'.repeat(40)], metadata: {}, realmName: 'oidc1' };
  return () => {
    if (matches(parseRules({ field: { groups: pattern } }), expressionModel(user))) throw new Error('matched');
  };
}

export function renderPatterns(result: PatternResult): string {
  const rows = Object.entries(result.medianMs).map(([kind, ms]) => `| ${kind} | ${ms.toFixed(2)} |`);
  return [
    '',
    `### Pattern matching on the worst inputs, next to a plain request (${result.samples} each, medians)`,
    '',
    '| request | ms |',
    '| --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
