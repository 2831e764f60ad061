import fc from 'fast-check';
import { USERS } from '../support/file-realm';
import {
  authorization,
  body,
  contentType,
  FUZZ_TIMEOUT_MS,
  type FuzzRequest,
  invalidUtf8Body,
  late,
  RUNS,
  send as sendTo,
} from '../support/fuzz';
import { authorizationHeader, passwordGrant, startTestApi, type TestApi } from '../support/test-api';

/**
 * Property-based fuzzing of every endpoint through the local API: whatever arrives, the answer is a 4xx
 * in the contract's shape or a valid success; never a 5xx, a crash, a stack trace or a secret.
 * FUZZ_RUNS raises the number of runs per endpoint (the long variant); npm test runs 1,000.
 */
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

const anyAuthorization = authorization([
  fc.constant(authorizationHeader(USERS.elastic).authorization as string),
  fc.constant(authorizationHeader(USERS.tokenClient).authorization as string),
  fc.constant(authorizationHeader(USERS.reader).authorization as string),
  late(() => `Bearer ${validAccessToken}`),
]);

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
  late(() => validRefreshToken),
  late(() => validAccessToken),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
);

const TOKEN_FIELDS = ['grant_type', 'username', 'password', 'refresh_token', 'kerberos_ticket', 'scope'];
const INVALIDATE_FIELDS = ['token', 'refresh_token', 'realm_name', 'username'];

const request = (method: fc.Arbitrary<string>, path: fc.Arbitrary<string>, fields: string[]) =>
  fc.record({
    method,
    path,
    authorization: anyAuthorization,
    contentType,
    body: body(fields, fieldValue),
  }) as fc.Arbitrary<FuzzRequest>;

const send = async (r: FuzzRequest) => {
  await sendTo(api.url, r, SECRETS);
};

/**
 * A realm- or user-wide invalidation keeps the names of its scope, as sent, in its sweep job record (so a
 * crash cannot lose the sweep; README, Security). A password or token sent as a `username` or `realm_name`
 * would be kept there for the record's 25 h like any name, so the secrets audit would flag it: those two fields
 * get a plain name instead; every other field still gets the secrets.
 */
const withPlainScopeNames = (r: FuzzRequest): FuzzRequest => {
  if (typeof r.body !== 'string') return r;
  let parsed: unknown;
  try {
    parsed = JSON.parse(r.body);
  } catch {
    return r;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return r;
  const fields = parsed as Record<string, unknown>;
  const secrets: unknown[] = [...SECRETS, validAccessToken, validRefreshToken];
  const named = ['username', 'realm_name'].filter((name) => secrets.includes(fields[name]));
  if (named.length === 0) return r;
  for (const name of named) fields[name] = 'plain-name';
  return { ...r, body: JSON.stringify(fields) };
};

describe('fuzzing every endpoint over HTTP', () => {
  it(
    `ER-13: a token request whose body is not UTF-8 is 400 x_content_parse_exception, whatever its JSON media type (${RUNS} runs)`,
    async () => {
      const requests = fc.record({
        method: fc.constant('POST'),
        path: fc.constant('/_security/oauth2/token'),
        authorization: fc.constant(authorizationHeader(USERS.elastic).authorization),
        contentType: fc.constantFrom(
          'application/json',
          'APPLICATION/JSON',
          'application/x-ndjson',
          'Application/Json; charset=UTF-8',
        ),
        body: invalidUtf8Body(TOKEN_FIELDS),
      }) as fc.Arbitrary<FuzzRequest>;
      await fc.assert(
        fc.asyncProperty(requests, async (r) => {
          const response = await sendTo(api.url, r, SECRETS);
          if (
            response.status !== 400 ||
            !/Invalid UTF-8 (start|middle) byte 0x|end-of-input in a UTF-8 character/.test(response.text)
          ) {
            expect(`${response.status} ${response.text.slice(0, 300)}`).toBe('400 x_content_parse_exception Invalid UTF-8');
          }
        }),
        { numRuns: RUNS },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

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
        fc.asyncProperty(
          request(fc.constant('DELETE'), fc.constant('/_security/oauth2/token'), INVALIDATE_FIELDS).map(withPlainScopeNames),
          send,
        ),
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
    `GET /_security/_authenticate?filter_path= with runs of * and ** answers in the contract's shapes (${RUNS} runs)`,
    async () => {
      // Runs of `*` in a name and of `**` levels took a backtracking matcher exponential time.
      const piece = fc.constantFrom('*', '**', '**.', '.', ',', '-', '\\.', 'name', 'X', 'username', 'realm');
      const filterPath = fc.oneof(
        fc.array(piece, { maxLength: 400 }).map((pieces) => pieces.join('')),
        fc.integer({ min: 1, max: 700 }).map((n) => `${'*'.repeat(n)}X`),
        fc.integer({ min: 1, max: 700 }).map((n) => `${'**.'.repeat(n)}name`),
        fc.integer({ min: 1, max: 300 }).map((n) => `-${'*.**.'.repeat(n)}X`),
      );
      const path = filterPath.map((filter) => `/_security/_authenticate?filter_path=${encodeURIComponent(filter)}`);
      await fc.assert(fc.asyncProperty(request(fc.constant('GET'), path, ['any']), send), { numRuns: RUNS });
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
        // ER-15: spellings of a real path that name no API.
        fc.constantFrom('/x/../_security/_authenticate', '/x/%2e%2e/_security/_authenticate', '/_security\\_authenticate'),
      );
      await fc.assert(fc.asyncProperty(request(method, path, TOKEN_FIELDS).map(withPlainScopeNames), send), { numRuns: RUNS });
    },
    FUZZ_TIMEOUT_MS,
  );
});
