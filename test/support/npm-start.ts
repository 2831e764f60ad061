import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { testEndpoint } from './dynamodb';
import { USERS } from './file-realm';
import { esClient } from './test-api';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

export interface NpmStart {
  readonly child: ChildProcess;
  /** Its URL once it listens; rejects with its output if it exits first. */
  readonly url: Promise<string>;
  /** Its exit code. */
  readonly exited: Promise<number | null>;
  /** What it printed so far, stdout and stderr together. */
  output(): string;
  /** The first match of `pattern` in its output; rejects if it exits first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** SIGTERM, as Ctrl-C or a service manager stops it; answers its exit code. */
  stop(): Promise<number | null>;
  /** `kill -9` of the whole process: tsx and the server it runs. */
  kill(): void;
}

/**
 * `npm start`'s command (tsx infra/local/main.ts) as a real process on a free port, on the tests' DynamoDB Local
 * unless `env` says otherwise (an empty DYNAMODB_ENDPOINT: its own).
 */
export function startNpmStart(env: Record<string, string>): NpmStart {
  const child = spawn(process.execPath, [TSX, 'infra/local/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', POWERTOOLS_LOG_LEVEL: 'SILENT', DYNAMODB_ENDPOINT: testEndpoint(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: tsx runs the server in a child process, which a kill of tsx alone would orphan.
    detached: true,
  });
  let output = '';
  const waiting = new Set<() => void>();
  const read = (chunk: Buffer) => {
    output += String(chunk);
    for (const check of waiting) check();
  };
  child.stdout.on('data', read);
  child.stderr.on('data', read);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = output.match(pattern);
        if (match === null) return;
        waiting.delete(check);
        resolve(match);
      };
      waiting.add(check);
      void exited.then(() => reject(new Error(`exited before ${pattern}: ${output}`)));
      check();
    });
  const url = waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/).then((match) => match[1] as string);
  // A process expected to exit is never asked for its URL.
  url.catch(() => undefined);
  return {
    child,
    url,
    exited,
    output: () => output,
    waitFor,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
    kill: () => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}

/** Table names of their own for one `npm start` process, which creates them in the tests' DynamoDB Local. */
export function processTables(): Record<string, string> {
  const id = randomUUID();
  return {
    TOKENS_TABLE: `process-tokens-${id}`,
    USERS_TABLE: `process-users-${id}`,
    ROLES_TABLE: `process-roles-${id}`,
    ROLE_MAPPINGS_TABLE: `process-role-mappings-${id}`,
  };
}

/**
 * `npm start` over a config directory with SSO realms (`settings`: ES_PATH_CONF, and ES_SECURE_SETTINGS for OpenID
 * Connect) on tables of its own, `elastic` with the test password. Once it serves, every user of `realm` is mapped
 * to the role `sso_user`; answers the process, its URL and `elastic`'s client.
 */
export async function startSsoProcess(settings: Record<string, string>, realm: string) {
  const started = startNpmStart({ ...settings, ELASTIC_PASSWORD: USERS.elastic.password, ...processTables() });
  try {
    const api = { url: await started.url };
    const client = esClient(api, USERS.elastic);
    await client.security.putRoleMapping({
      name: `all_${realm}`,
      enabled: true,
      roles: ['sso_user'],
      rules: { field: { 'realm.name': realm } },
    });
    return { started, api, client };
  } catch (error) {
    await started.stop();
    throw error;
  }
}
