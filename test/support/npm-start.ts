import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { testEndpoint } from './dynamodb';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/**
 * `npm start`'s command (tsx infra/local/main.ts) as a real process on the tests' DynamoDB Local, on a free
 * port; resolves with its URL, or rejects with its output if it exits first.
 */
export function startNpmStart(env: Record<string, string>) {
  const child = spawn(process.execPath, [TSX, 'infra/local/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', POWERTOOLS_LOG_LEVEL: 'SILENT', DYNAMODB_ENDPOINT: testEndpoint(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += String(chunk);
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1] as string);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void exited.then(() => reject(new Error(output)));
  });
  // A process expected to exit is never asked for its URL.
  url.catch(() => undefined);
  return { child, url, exited, output: () => output };
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
