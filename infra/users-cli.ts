/**
 * `npm run users -- <command>`: manage the native realm's users straight in the users table, so a new
 * deployment can get its first users (a superuser, then the rest through the user API). Works against the
 * local API's DynamoDB (`--endpoint`, DYNAMODB_ENDPOINT) or a deployed table (`--table`, `--region`, with
 * the usual AWS credentials). The rules are the user API's (functions/security/admin/native-users.ts): same name
 * and password checks, bcrypt at cost 10. Passwords are read from the terminal without echo, or from
 * standard input with `--password-stdin`; never from the command line, where `ps` and shell history see them.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { systemClock } from '../functions/clock';
import { ElasticsearchError, StorageUnavailableError } from '../functions/errors';
import { NativeUsers } from '../functions/security/admin/native-users';
import { assertValidPassword } from '../functions/security/admin/user-requests';
import type { AccountChanges } from '../functions/security/authc/account-changes';
import { type Environment, readSetting } from '../functions/setting-types';
import { CONFIG_SETTINGS } from '../functions/settings';
import { createDocumentClient } from '../functions/store/dynamodb-client';
import { DynamoDbTokenStore } from '../functions/store/dynamodb-token-store';
import { DynamoDbUserStore } from '../functions/store/dynamodb-user-store';
import { AccountChangeRevocation } from '../functions/tokens/lifecycle/account-change-revocation';

const { usersTable, region: regionSetting, dynamodbEndpoint } = CONFIG_SETTINGS;

export const USAGE = `Usage: npm run users -- <command> [options]

Commands:
  add NAME --roles r1,r2 [--full-name TEXT] [--email ADDRESS] [--password-stdin]
                       create a native user (prompts for its password)
  passwd NAME [--password-stdin]
                       set a native user's password
  list                 list the native users and their roles
  remove NAME          delete a native user

Where the users are (options win over the environment):
  --table NAME         users table (${usersTable.env}; default ${usersTable.default})
  --region REGION      AWS region (${regionSetting.env}; default ${regionSetting.default})
  --endpoint URL       a DynamoDB endpoint such as the local API's DynamoDB Local (${dynamodbEndpoint.env});
                       without one, the AWS account of the current credentials
`;

export interface CommandIo {
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
}

class UsageError extends Error {}

/** The whole of standard input, less one final newline (as `docker login --password-stdin` reads it). */
async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks for the password on the terminal, twice, without echo (the answers are read, never written). */
async function promptPassword(username: string, io: CommandIo): Promise<string> {
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const terminal = createInterface({ input: io.stdin, output: silent, terminal: true });
  // Raw mode turns Ctrl-C into an event: it ends the prompt (and the command) instead of being ignored.
  terminal.once('SIGINT', () => terminal.close());
  // The iterator queues lines typed ahead of a question instead of dropping them.
  const lines = terminal[Symbol.asyncIterator]();
  const ask = async (question: string) => {
    io.stderr.write(question);
    const { value, done } = await lines.next();
    io.stderr.write('\n');
    if (done) throw new UsageError('no password was typed');
    return value as string;
  };
  try {
    const password = await ask(`Enter password for [${username}]: `);
    assertValidPassword(password);
    if ((await ask('Retype password: ')) !== password) throw new UsageError('the passwords do not match');
    return password;
  } finally {
    terminal.close();
  }
}

async function readPassword(username: string, fromStdin: boolean, io: CommandIo): Promise<string> {
  if (fromStdin) return readStdin(io.stdin);
  if (!io.stdin.isTTY) throw new UsageError('no terminal to ask for the password on: pipe it in with --password-stdin');
  return promptPassword(username, io);
}

/**
 * LC-1: with REVOKE_ON_ACCOUNT_CHANGE on, a password set or a user removed here refuses the user's tokens, as the
 * user API does: in the tokens table the service's own variables name (TOKENS_TABLE, TOKEN_INDEX_SHARDS).
 */
function accountChangesOf(env: Environment, client: DynamoDBDocumentClient): AccountChanges | undefined {
  const { revokeOnAccountChange, tokensTable, indexShards, refreshTokenLifetimeMs } = CONFIG_SETTINGS;
  if (!readSetting(revokeOnAccountChange, env)) return undefined;
  const tableName = readSetting(tokensTable, env);
  const store = new DynamoDbTokenStore({ client, tableName, indexShards: readSetting(indexShards, env) });
  const refreshLifetimeMs = readSetting(refreshTokenLifetimeMs, env);
  return new AccountChangeRevocation({ store, clock: systemClock, refreshLifetimeMs, revoked: () => undefined });
}

function commaList(value: string | undefined): string[] {
  return value === undefined || value === '' ? [] : value.split(',').map((role) => role.trim());
}

/** Runs one command; resolves to the process exit code. Errors are printed as one `error:` line. */
export async function runUsersCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        roles: { type: 'string' },
        'full-name': { type: 'string' },
        email: { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
        table: { type: 'string' },
        region: { type: 'string' },
        endpoint: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    const [command, username, ...extra] = positionals;
    if (values.help || command === undefined) {
      io.stdout.write(USAGE);
      return values.help ? 0 : 2;
    }
    const needsName = command === 'add' || command === 'passwd' || command === 'remove';
    if (needsName && username === undefined) throw new UsageError(`${command} needs a user name`);
    if (extra.length > 0 || (!needsName && username !== undefined))
      throw new UsageError(`unexpected argument [${extra[0] ?? username}]`);

    // The functions' own settings: the same variables and defaults as the service that reads the table.
    const tableName = values.table ?? readSetting(usersTable, io.env);
    const endpoint = values.endpoint ?? readSetting(dynamodbEndpoint, io.env);
    const region = values.region ?? readSetting(regionSetting, io.env);
    const client = createDocumentClient({ region, endpoint });
    const store = new DynamoDbUserStore({ client, tableName });
    const users = new NativeUsers({ store, accountChanges: accountChangesOf(io.env, client) });
    const where = `table ${tableName}${endpoint === undefined ? ` (${region})` : ` at ${endpoint}`}`;
    const name = username as string;

    switch (command) {
      case 'add': {
        if (values.roles === undefined) throw new UsageError('add needs --roles (for instance --roles superuser)');
        const password = await readPassword(name, values['password-stdin'], io);
        const created = await users.create({
          username: name,
          password,
          roles: commaList(values.roles),
          full_name: values['full-name'] ?? null,
          email: values.email ?? null,
          metadata: {},
          enabled: true,
        });
        if (!created) throw new UsageError(`user [${name}] already exists in ${where}; use passwd to change its password`);
        io.stdout.write(`created user [${name}] in ${where}\n`);
        return 0;
      }
      case 'passwd': {
        const password = await readPassword(name, values['password-stdin'], io);
        assertValidPassword(password);
        await users.changePassword({ username: name, password });
        io.stdout.write(`changed the password of [${name}] in ${where}\n`);
        return 0;
      }
      case 'list': {
        const listed = await store.list();
        for (const user of listed.sort((a, b) => (a.username < b.username ? -1 : 1))) {
          const roles = user.roles.length === 0 ? '-' : user.roles.join(',');
          io.stdout.write(`${user.username} : ${roles}${user.enabled ? '' : ' (disabled)'}\n`);
        }
        return 0;
      }
      case 'remove': {
        if (!(await users.delete(name))) throw new UsageError(`user [${name}] does not exist in ${where}`);
        io.stdout.write(`removed user [${name}] from ${where}\n`);
        return 0;
      }
      default:
        throw new UsageError(`unknown command [${command}]\n\n${USAGE}`);
    }
  } catch (error) {
    io.stderr.write(`error: ${describe(error)}\n`);
    return 1;
  }
}

function describe(error: unknown): string {
  // The operator needs the storage's own words (no such table, no credentials); they hold no secret.
  if (error instanceof StorageUnavailableError) {
    const cause = error.cause as { name?: string; message?: string } | undefined;
    return `DynamoDB failed: ${cause?.name ?? 'Error'}: ${cause?.message ?? error.reason}`;
  }
  if (error instanceof ElasticsearchError || error instanceof UsageError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

if (require.main === module) {
  runUsersCommand(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      console.error('error:', error instanceof Error ? error.message : error);
      process.exitCode = 1;
    });
}
