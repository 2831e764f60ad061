import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type DynamoDBClient, ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { decodeToken } from '../../functions/tokens/token-string';

/**
 * The secrets audit of a whole test run (README, Security). While the suites run, every token the API
 * answered and every password a test sent is recorded, and everything the service logs goes to a file;
 * tables outlive their test file. After the run, the global teardown searches every table and every log
 * line for each recorded value, and for anything shaped like a token of this service.
 *
 * Files live in one directory per run, named by TEST_AUDIT_DIR (set by the global setup), one file per
 * worker process, so parallel workers never interleave writes.
 */
const AUDIT_DIR = 'TEST_AUDIT_DIR';

/** Shorter strings match by chance (validation tests send `p`, `12345`); they are not recorded. */
const MIN_SECRET_CHARS = 8;

export type SecretKind = 'token' | 'password';

export function createAuditDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'es-token-audit-'));
  process.env[AUDIT_DIR] = directory;
  return directory;
}

function workerFile(prefix: 'secrets' | 'log' | 'audit'): string | undefined {
  const directory = process.env[AUDIT_DIR];
  return directory === undefined ? undefined : join(directory, `${prefix}-${process.pid}.txt`);
}

const recorded = new Set<string>();

export function recordSecret(kind: SecretKind, value: unknown): void {
  const file = workerFile('secrets');
  if (file === undefined || typeof value !== 'string' || value.length < MIN_SECRET_CHARS) return;
  if (recorded.has(`${kind}:${value}`)) return;
  recorded.add(`${kind}:${value}`);
  appendFileSync(file, `${JSON.stringify({ kind, value })}\n`);
}

/** One HTTP exchange with the API: the passwords it carried and the tokens it was answered. */
export function recordExchange(exchange: { requestBody?: unknown; authorization?: string; responseBody?: unknown }): void {
  const request = exchange.requestBody as { password?: unknown } | undefined;
  recordSecret('password', request?.password);
  const basic = /^Basic (.*)$/.exec(exchange.authorization ?? '')?.[1];
  if (basic !== undefined) recordSecret('password', Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':'));
  const response = exchange.responseBody as { access_token?: unknown; refresh_token?: unknown } | undefined;
  recordSecret('token', response?.access_token);
  recordSecret('token', response?.refresh_token);
}

/** Where the service's log goes in tests: this worker's log file. */
export function auditLogFile(): string | undefined {
  return workerFile('log');
}

/**
 * The audit logs (`<cluster>_audit.json`) a test's service wrote under its config directory's `logs/`, kept in
 * this worker's audit file when the test's API closes: the secrets audit searches them with the service's log.
 */
export function keepAuditLogs(configDirectory: string | undefined): void {
  const file = workerFile('audit');
  const logs = configDirectory === undefined ? undefined : join(configDirectory, 'logs');
  if (file === undefined || logs === undefined || !existsSync(logs)) return;
  for (const name of readdirSync(logs).filter((n) => n.endsWith('_audit.json'))) {
    appendFileSync(file, readFileSync(join(logs, name)));
  }
}

export function auditLogStream(file: string): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      appendFileSync(file, chunk);
      done();
    },
  });
}

export interface Finding {
  readonly where: string;
  readonly what: string;
}

/**
 * base64url of kind (1 byte), pair id (16), realm and user digests (16 each) and secret (32), unpadded; and
 * the previous version's, without the digests.
 */
const TOKEN_CHARS = [108, 66];
/** A token's 32-byte secret, spelled three ways. */
const SECRET_BASE64URL_CHARS = 43;
const SECRET_HEX_CHARS = 64;
const SECRET_BASE64_CHARS = 44;
const BASE64URL_RUNS = /[A-Za-z0-9_-]+/g;

/** The recorded secrets, in every spelling the audit looks for. */
export class SecretIndex {
  private readonly tokenSpellings = new Map<string, string>();
  private readonly passwords: string[];

  constructor(secrets: readonly { kind: SecretKind; value: string }[]) {
    const passwords = new Set<string>();
    for (const { kind, value } of secrets) {
      if (kind === 'password') {
        passwords.add(value);
        passwords.add(JSON.stringify(value).slice(1, -1));
        continue;
      }
      this.tokenSpellings.set(value, 'a token the API issued');
      const secret = decodeToken(value)?.secret;
      if (secret === undefined) continue;
      for (const encoding of ['base64url', 'base64', 'hex'] as const) {
        this.tokenSpellings.set(secret.toString(encoding), `the secret of an issued token (${encoding})`);
      }
    }
    this.passwords = [...passwords];
  }

  get size(): { tokens: number; passwords: number } {
    return {
      tokens: [...this.tokenSpellings.values()].filter((v) => v.startsWith('a token')).length,
      passwords: this.passwords.length,
    };
  }

  scan(where: string, text: string): Finding[] {
    const findings: Finding[] = [];
    const found = (spelling: string) => {
      const known = this.tokenSpellings.get(spelling);
      if (known !== undefined) findings.push({ where, what: known });
      return known !== undefined;
    };
    // A token, or its secret in base64url or hex, is a stretch of the base64url alphabet, possibly glued to
    // more of it: every window of those lengths in a run is looked up (long runs are few: sealed successors).
    for (const [run] of text.matchAll(BASE64URL_RUNS)) {
      if (run.length < SECRET_BASE64URL_CHARS) continue;
      let hit = false;
      for (const size of [SECRET_BASE64URL_CHARS, SECRET_HEX_CHARS, ...TOKEN_CHARS]) {
        for (let at = 0; at + size <= run.length; at++) hit = found(run.slice(at, at + size)) || hit;
      }
      if (!hit && TOKEN_CHARS.includes(run.length) && decodeToken(run) !== undefined) {
        findings.push({ where, what: 'a string shaped like a token' });
      }
    }
    // In standard base64, a 32-byte secret always ends in its one `=`.
    for (let at = text.indexOf('='); at !== -1; at = text.indexOf('=', at + 1)) {
      if (at >= SECRET_BASE64_CHARS - 1) found(text.slice(at - SECRET_BASE64_CHARS + 1, at + 1));
    }
    for (const password of this.passwords) {
      if (text.includes(password)) findings.push({ where, what: `a password the tests used (${password.length} characters)` });
    }
    return findings;
  }
}

function readSecrets(directory: string): { kind: SecretKind; value: string }[] {
  return readdirSync(directory)
    .filter((name) => name.startsWith('secrets-'))
    .flatMap((name) => readFileSync(join(directory, name), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line));
}

async function* everyItem(client: DynamoDBClient): AsyncGenerator<{ table: string; item: Record<string, unknown> }> {
  let ExclusiveStartTableName: string | undefined;
  do {
    const tables = await client.send(new ListTablesCommand({ ExclusiveStartTableName }));
    for (const table of tables.TableNames ?? []) {
      let ExclusiveStartKey: Record<string, never> | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey }));
        for (const item of page.Items ?? []) yield { table, item: unmarshall(item) };
        ExclusiveStartKey = page.LastEvaluatedKey as Record<string, never> | undefined;
      } while (ExclusiveStartKey);
    }
    ExclusiveStartTableName = tables.LastEvaluatedTableName;
  } while (ExclusiveStartTableName);
}

export interface AuditReport {
  readonly findings: Finding[];
  readonly summary: string;
}

/**
 * Searches every table of the run's DynamoDB Local and every log line the service wrote. A run of tiers that
 * start no DynamoDB Local (the unit tier alone) has no `client`: its log lines are searched all the same.
 */
export async function auditSecrets(client: DynamoDBClient | undefined, directory: string): Promise<AuditReport> {
  const index = new SecretIndex(readSecrets(directory));
  const findings: Finding[] = [];
  const tables = new Set<string>();
  let items = 0;
  for await (const { table, item } of client === undefined ? [] : everyItem(client)) {
    tables.add(table);
    items++;
    const key = String(item.id ?? item.username ?? item.name ?? '?');
    findings.push(...index.scan(`table ${table}, item ${key}`, JSON.stringify(item)));
  }
  let logBytes = 0;
  // The service's log, and the audit logs of the services that had one (keepAuditLogs).
  for (const name of readdirSync(directory).filter((n) => n.startsWith('log-') || n.startsWith('audit-'))) {
    const file = join(directory, name);
    logBytes += statSync(file).size;
    for (const [line, text] of readFileSync(file, 'utf8').split('\n').entries()) {
      findings.push(...index.scan(`log ${name}, line ${line + 1}`, text));
    }
  }
  const { tokens, passwords } = index.size;
  const summary =
    `secrets audit: ${tables.size} tables, ${items} items, ${(logBytes / 1_048_576).toFixed(1)} MB of log; ` +
    `searched for ${tokens} issued tokens and their secrets, ${passwords} password spellings and any token-shaped string`;
  return { findings, summary };
}

export function auditDirectory(): string | undefined {
  const directory = process.env[AUDIT_DIR];
  return directory !== undefined && existsSync(directory) ? directory : undefined;
}
