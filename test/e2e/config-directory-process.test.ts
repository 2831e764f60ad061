import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { testEndpoint } from '../support/dynamodb';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** `npm start`'s command as a real process, to its exit; its output, stdout and stderr together. */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [TSX, 'infra/local/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', POWERTOOLS_LOG_LEVEL: 'SILENT', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('npm start with ES_PATH_CONF naming a missing directory', () => {
  it('refuses to start, in one line and without a stack trace', async () => {
    const { code, output } = await runToExit({
      ES_PATH_CONF: '/nonexistent',
      DYNAMODB_ENDPOINT: testEndpoint(),
      TOKENS_TABLE: 'config-directory-tokens',
      USERS_TABLE: 'config-directory-users',
      ROLES_TABLE: 'config-directory-roles',
    });
    expect(code).toBe(1);
    // Node's own warnings (the AWS SDK's about Node 20) aside, the process says one thing.
    expect(output.split('\n').filter((line) => line.startsWith('error:'))).toEqual([
      'error: ES_PATH_CONF: [/nonexistent] is not a directory (it holds users, users_roles and roles.yml)',
    ]);
    expect(output).not.toMatch(/^\s+at /m);
  });
});
