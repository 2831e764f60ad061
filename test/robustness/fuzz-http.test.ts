import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import fc from 'fast-check';
import { USERS } from '../support/file-realm';
import { authorizationHeader, passwordGrant, startTestApi, type TestApi } from '../support/test-api';

/**
 * Property-based fuzzing of every endpoint through the local API: whatever arrives, the answer is a 4xx
 * in the contract's shape or a valid success; never a 5xx, a crash, a stack trace or a secret.
 * FUZZ_RUNS raises the number of runs per endpoint (the long variant); npm test runs 2,000.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2_000);
/** Generous: each property is thousands of HTTP round trips, some of them to DynamoDB Local. */
const FUZZ_TIMEOUT_MS = 60 * RUNS + 60_000;
const SECRETS = [USERS.elastic.password, USERS.tokenClient.password, USERS.reader.password, USERS.admin.password];

let api: TestApi;
let validAccessToken: string;
let validRefreshToken: string;

beforeAll(async () => {
  api = await startTestApi();
  const pair = await passwordGrant(api, USERS.reader);
  validAccessToken = pair.access_token;
  validRefreshToken = pair.refresh_token;
});
afterAll(() => api.close());

const basic = (value: string) => `Basic ${Buffer.from(value).toString('base64')}`;

const authorization = fc.oneof(
  fc.constant(undefined),
  fc.constant(authorizationHeader(USERS.elastic).authorization),
  fc.constant(authorizationHeader(USERS.tokenClient).authorization),
  fc.constant(authorizationHeader(USERS.reader).authorization),
  fc.string().map((s) => basic(`elastic:${s}`)),
  fc.string().map(basic),
  fc.string().map((s) => `Basic ${s}`),
  fc.string({ maxLength: 200 }).map((s) => `Bearer ${s}`),
  fc.string({ minLength: 1000, maxLength: 8000, unit: 'binary-ascii' }).map((s) => `Bearer ${s.replace(/[^\x20-\x7e]/g, 'A')}`),
  fc.constant(undefined).map(() => `Bearer ${validAccessToken}`),
  fc.string({ maxLength: 50 }).map((s) => `${s} ${s}`),
);

const contentType = fc.oneof(
  fc.constant('application/json'),
  fc.constant('application/vnd.elasticsearch+json; compatible-with=9'),
  fc.constant('text/plain'),
  fc.constant(undefined),
  fc.string({ maxLength: 40 }),
);

const fieldValue = fc.oneof(
  fc.string(),
  fc.constantFrom(
    'password',
    'client_credentials',
    'refresh_token',
    '_kerberos',
    'reader',
    USERS.reader.password,
    'default_file',
  ),
  fc.constant(undefined).map(() => validRefreshToken),
  fc.constant(undefined).map(() => validAccessToken),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Bodies shaped like the endpoint's own, with every field possibly wrong. */
const fieldsBody = (fields: string[]) =>
  fc
    .dictionary(fc.oneof(fc.constantFrom(...fields), fc.string({ maxLength: 12 })), fieldValue, { maxKeys: 5 })
    .map((o) => JSON.stringify(o));

const body = (fields: string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fieldsBody(fields) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.string() },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 5_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 5_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`) },
    { weight: 1, arbitrary: fc.constantFrom(...fields).map((f) => `{"${f}":"a","${f}":"b"}`) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 60_000, max: 200_000 }).map((n) => JSON.stringify({ [fields[0] as string]: 'x'.repeat(n) })),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)) },
  );

interface FuzzRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string | Buffer | undefined;
}

const TOKEN_FIELDS = ['grant_type', 'username', 'password', 'refresh_token', 'kerberos_ticket', 'scope'];
const INVALIDATE_FIELDS = ['token', 'refresh_token', 'realm_name', 'username'];

const request = (method: fc.Arbitrary<string>, path: fc.Arbitrary<string>, fields: string[]) =>
  fc.record({ method, path, authorization, contentType, body: body(fields) }) as fc.Arbitrary<FuzzRequest>;

// biome-ignore lint/suspicious/noExplicitAny: the checks below read arbitrary JSON
type Json = any;

function isEsError(json: Json, status: number): boolean {
  return (
    typeof json?.error?.type === 'string' &&
    typeof json.error.reason === 'string' &&
    Array.isArray(json.error.root_cause) &&
    json.status === status
  );
}

function isOAuth2Error(json: Json): boolean {
  return typeof json?.error === 'string' && typeof json.error_description === 'string';
}

function isCounts(json: Json): boolean {
  return ['invalidated_tokens', 'previously_invalidated_tokens', 'error_count'].every((k) => Number.isInteger(json?.[k]));
}

/** node:http rather than fetch: the path is sent exactly as generated, malformed escapes included. */
function rawRequest(r: FuzzRequest): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
  const headers: Record<string, string> = {};
  if (r.authorization !== undefined) headers.authorization = r.authorization;
  if (r.contentType !== undefined) headers['content-type'] = r.contentType;
  const { hostname, port } = new URL(api.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method: r.method, path: r.path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    // A refused body may be answered before it is fully sent; the answer is what is checked.
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error),
    );
    // A GET or HEAD with a body is not something a client sends; the server's answer to it is checked without one.
    req.end(r.method === 'HEAD' || r.method === 'GET' ? undefined : r.body);
  });
}

async function send(r: FuzzRequest): Promise<void> {
  const response = await rawRequest(r);
  const text = response.text;
  const context = `${r.method} ${r.path} -> ${response.status} ${text.slice(0, 300)}`;

  expect(response.status < 500 ? context : `5xx: ${context}`).toBe(context);
  if (r.method === 'HEAD') return; // HEAD answers carry no body by definition.
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const json = JSON.parse(text);
  if (response.status >= 400) {
    // 404 bodies of their own: invalidate's zero counts, get user/role's `{}`, delete's `{"found":false}`.
    const notFound = response.status === 404 && (isCounts(json) || Object.keys(json).length === 0 || json.found === false);
    const shaped = isEsError(json, response.status) || isOAuth2Error(json) || notFound;
    expect(shaped ? 'shaped' : context).toBe('shaped');
  } else {
    expect(response.headers['x-elastic-product']).toBe('Elasticsearch');
  }
  expect(text).not.toMatch(/\n\s+at |\bat [\w.]+ \(/);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('fuzzing every endpoint over HTTP', () => {
  it(
    `POST /_security/oauth2/token answers every request in the contract's shapes (${RUNS} runs)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(request(fc.constant('POST'), fc.constant('/_security/oauth2/token'), TOKEN_FIELDS), send),
        {
          numRuns: RUNS,
        },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    `DELETE /_security/oauth2/token answers every request in the contract's shapes (${RUNS} runs)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(request(fc.constant('DELETE'), fc.constant('/_security/oauth2/token'), INVALIDATE_FIELDS), send),
        {
          numRuns: RUNS,
        },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    `GET /_security/_authenticate answers every request in the contract's shapes (${RUNS} runs)`,
    async () => {
      await fc.assert(fc.asyncProperty(request(fc.constant('GET'), fc.constant('/_security/_authenticate'), ['any']), send), {
        numRuns: RUNS,
      });
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    `random methods and paths are answered in the ES error shape (${RUNS} runs)`,
    async () => {
      const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS');
      const path = fc.oneof(
        fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
        fc.constantFrom('/_security/oauth2/token', '/_security/_authenticate', '/_security/user/x', '/%', '/%zz', '//'),
      );
      await fc.assert(fc.asyncProperty(request(method, path, TOKEN_FIELDS), send), { numRuns: RUNS });
    },
    FUZZ_TIMEOUT_MS,
  );
});
