import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import fc from 'fast-check';

/**
 * What the HTTP fuzz suites share: the requests they send exactly as generated, the arbitraries of
 * authorization headers, content types and bodies, and the check every answer must pass: a 4xx in the
 * contract's shape or a valid success; never a 5xx, a crash, a stack trace or a secret.
 */

/**
 * Runs per endpoint: npm test runs 1,000, FUZZ_RUNS raises it (the long variant, 20,000 before a release).
 * 1,000 and not more in the suite every change runs: the user and role suite alone took 142 s of a 249 s run
 * at 2,000, and the generators weight their cases (the endpoint's own body with one field wrong, known and
 * hostile names) so that each case is reached hundreds of times at 1,000 too.
 */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 1_000);
/** Generous: each property is thousands of HTTP round trips, some of them to DynamoDB Local. */
export const FUZZ_TIMEOUT_MS = 60 * RUNS + 60_000;

// biome-ignore lint/suspicious/noExplicitAny: the checks read arbitrary JSON
export type Json = any;

export interface FuzzRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string | Buffer | undefined;
  /** Further headers (the run-as header). */
  headers?: Readonly<Record<string, string>>;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export const basic = (value: string) => `Basic ${Buffer.from(value).toString('base64')}`;

/**
 * No header, each of `known` (valid credentials of the suite's callers, as likely as each malformed kind),
 * and malformed ones: wrong passwords for `elastic`, random Basic, Basic that is not base64, random and huge
 * Bearer tokens, unknown schemes.
 */
export function authorization(known: readonly fc.Arbitrary<string>[]): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    fc.constant(undefined),
    ...known,
    fc.string().map((s) => basic(`elastic:${s}`)),
    fc.string().map(basic),
    fc.string().map((s) => `Basic ${s}`),
    fc.string({ maxLength: 200 }).map((s) => `Bearer ${s}`),
    fc.string({ minLength: 1000, maxLength: 8000, unit: 'binary-ascii' }).map((s) => `Bearer ${s.replace(/[^\x20-\x7e]/g, 'A')}`),
    fc.string({ maxLength: 50 }).map((s) => `${s} ${s}`),
  );
}

/** A value known only once the suite has started (a token), as an arbitrary built before it. */
export const late = (value: () => string): fc.Arbitrary<string> => fc.constant(undefined).map(value);

/** ER-3: types Elasticsearch reads as JSON, spelled as clients may; and near misses it refuses. */
const oddContentType = fc.constantFrom(
  'APPLICATION/JSON',
  'Application/Json; charset=UTF-8',
  'application/x-ndjson',
  'application/*',
  'application/json; charset=ISO-8859-1',
  'application/json;;',
  'application/vnd.elasticsearch+json; compatible-with=99',
  'application/yaml',
  'application/json, text/plain',
);

export const contentType = fc.oneof(
  fc.constant('application/json'),
  fc.constant('application/vnd.elasticsearch+json; compatible-with=9'),
  fc.constant('text/plain'),
  fc.constant(undefined),
  fc.string({ maxLength: 40 }),
  oddContentType,
);

/** ER-13: byte sequences that are not UTF-8: stray, truncated, overlong, surrogate, past U+10FFFF. */
const NOT_UTF8 = [
  [0xff],
  [0x80],
  [0xc3, 0x28],
  [0xe2, 0x82],
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf0, 0x9f, 0x98],
];

/** A body of the endpoint's own fields with bytes that are not UTF-8 inside a value or at its end. */
export const invalidUtf8Body = (fields: readonly string[]) =>
  fc
    .tuple(fc.constantFrom(...fields), fc.string(), fc.constantFrom(...NOT_UTF8), fc.string(), fc.boolean())
    .map(([field, before, bad, after, atEnd]) => {
      const text = (value: string) => Buffer.from(JSON.stringify(value).slice(1, -1));
      const head = Buffer.concat([Buffer.from(`{"${field}":"`), text(before), Buffer.from(bad)]);
      return atEnd ? head : Buffer.concat([head, text(after), Buffer.from('"}')]);
    });

/** Bodies shaped like the endpoint's own (`fields`, each with a `value`), with every field possibly wrong. */
const fieldsBody = (fields: readonly string[], value: fc.Arbitrary<unknown>) =>
  fc
    .dictionary(fc.oneof(fc.constantFrom(...fields), fc.string({ maxLength: 12 })), value, { maxKeys: 5 })
    .map((o) => JSON.stringify(o));

/** Malformed bodies of every kind: absent, empty, not JSON, deeply nested, a field twice, too large, raw bytes. */
export function malformedBody(fields: readonly string[]): fc.Arbitrary<string | Buffer | undefined> {
  return fc.oneof(
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
    { weight: 1, arbitrary: invalidUtf8Body(fields) },
  );
}

/** The token fuzz's bodies: mostly the endpoint's own fields, else malformed (each kind as likely as absent). */
export const body = (fields: readonly string[], value: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 4, arbitrary: fieldsBody(fields, value) }, { weight: 9, arbitrary: malformedBody(fields) });

function isEsError(json: Json, status: number): boolean {
  return (
    typeof json?.error?.type === 'string' &&
    typeof json.error.reason === 'string' &&
    Array.isArray(json.error.root_cause) &&
    json.status === status
  );
}

/**
 * RestController's simple forms: `{"error":"...","status":N}` for a content type it cannot read (406) or a method
 * the path does not serve (405, ER-14), and `{"error":"no handler found ..."}` alone for a path without an API (ER-15).
 */
function isSimpleEsError(json: Json, status: number): boolean {
  if (typeof json?.error !== 'string') return false;
  if (status === 400) return json.error.startsWith('no handler found for uri [') && Object.keys(json).length === 1;
  return (status === 405 || status === 406) && json.status === status && Object.keys(json).length === 2;
}

/** ER-14: RestController's answer to OPTIONS: 200, plain text, no body. */
function optionsProblems(response: RawResponse): string[] {
  const plain = response.status === 200 && response.headers['content-type'] === 'text/plain; charset=UTF-8';
  return plain && response.text === '' ? [] : ['not the answer to OPTIONS'];
}

function isOAuth2Error(json: Json): boolean {
  return typeof json?.error === 'string' && typeof json.error_description === 'string';
}

function isCounts(json: Json): boolean {
  return ['invalidated_tokens', 'previously_invalidated_tokens', 'error_count'].every((k) => Number.isInteger(json?.[k]));
}

export function isPlainObject(json: Json): boolean {
  return typeof json === 'object' && json !== null && !Array.isArray(json);
}

/** node:http rather than fetch: the path is sent exactly as generated, malformed escapes included. */
export function rawRequest(url: string, r: FuzzRequest): Promise<RawResponse> {
  const headers: Record<string, string> = { ...r.headers };
  if (r.authorization !== undefined) headers.authorization = r.authorization;
  if (r.contentType !== undefined) headers['content-type'] = r.contentType;
  // A HEAD answer has no body to check; a GET with a body is refused like any API's that reads none.
  const body = r.method === 'HEAD' ? undefined : r.body;
  // Node frames the body of a DELETE (or OPTIONS) only with an explicit length: without one the server would
  // read the body as the next request and answer that, not this one.
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  const { hostname, port } = new URL(url);
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
    req.end(body);
  });
}

/** What one endpoint answers besides ES errors; without it, any JSON success and any of the service's 404 bodies. */
export interface EndpointContract {
  /** Whether a 2xx answer's body is this endpoint's success. */
  readonly success?: (json: Json, status: number) => boolean;
  /** Whether a 404 answer that is not an ES error body is this endpoint's own (`{}`, `{"found":false}`). */
  readonly notFound?: (json: Json) => boolean;
  /** Secrets of this request (the passwords in its body) that no answer may show. */
  readonly secrets?: readonly string[];
}

/** 404 bodies of their own: invalidate's zero counts, get user/role's `{}`, delete's `{"found":false}`. */
const anyNotFound = (json: Json) => isCounts(json) || Object.keys(json).length === 0 || json.found === false;

/** A Node stack trace's frame lines, which no answer may carry. */
export const STACK_TRACE = /\n\s+at |\bat [\w.]+ \(/;

/** What is wrong with one answer: nothing when the list is empty. */
function answerProblems(
  r: FuzzRequest,
  response: RawResponse,
  secrets: readonly string[],
  contract: EndpointContract = {},
): string[] {
  const text = response.text;
  if (response.status >= 500) return ['5xx'];
  if (r.method === 'HEAD') return []; // HEAD answers carry no body by definition.
  if (r.method === 'OPTIONS') return optionsProblems(response);
  // ER-1: JSON, or its versioned type for a versioned request.
  if (!/^application\/(json|vnd\.elasticsearch\+json)/.test(response.headers['content-type'] ?? '')) return ['not JSON'];
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch {
    return ['a JSON content type, but not JSON'];
  }
  const problems: string[] = [];
  if (response.status >= 400) {
    const notFound = response.status === 404 && (contract.notFound ?? anyNotFound)(json);
    if (!(isEsError(json, response.status) || isSimpleEsError(json, response.status) || isOAuth2Error(json) || notFound))
      problems.push('not an error in the contract shape');
  } else {
    if (response.headers['x-elastic-product'] !== 'Elasticsearch') problems.push('no X-Elastic-Product header');
    if (!(contract.success?.(json, response.status) ?? true)) problems.push('not a success of this endpoint');
  }
  if (STACK_TRACE.test(text)) problems.push('a stack trace');
  for (const secret of [...secrets, ...(contract.secrets ?? [])]) {
    // A JSON answer would show a secret with its quotes and backslashes escaped.
    if (text.includes(secret) || text.includes(JSON.stringify(secret).slice(1, -1))) problems.push('a password');
  }
  return problems;
}

/**
 * The check of one answer. `secrets` are the suite's passwords; `contract` narrows what the endpoint may
 * answer and adds the request's own secrets. One assertion for all of it: jest's `expect` costs an Error
 * (and its stack) a call, which thousands of runs times a dozen checks would pay for nothing.
 */
function checkAnswer(r: FuzzRequest, response: RawResponse, secrets: readonly string[], contract: EndpointContract = {}): void {
  const problems = answerProblems(r, response, secrets, contract);
  if (problems.length === 0) return;
  const context = `${r.method} ${r.path.slice(0, 300)} -> ${response.status} ${response.text.slice(0, 300)}`;
  expect(`${problems.join(', ')}: ${context}`).toBe('an answer in the contract');
}

/** Sends `r` to the API at `url` and checks the answer. */
export async function send(
  url: string,
  r: FuzzRequest,
  secrets: readonly string[],
  contract: EndpointContract = {},
): Promise<RawResponse> {
  const response = await rawRequest(url, r);
  checkAnswer(r, response, secrets, contract);
  return response;
}

/**
 * One test per endpoint group: `runs` requests drawn from its arbitrary, each answered within the contract
 * (`send`'s checks). `title` names the rules held, with `%s` for the group's name.
 */
export function fuzzEachGroup(
  title: string,
  groups: readonly (readonly [name: string, requests: fc.Arbitrary<FuzzRequest>])[],
  target: () => { readonly url: string },
  { secrets, runs }: { readonly secrets: readonly string[]; readonly runs: number },
): void {
  it.each(groups.map(([name, requests]) => [name, requests] as const))(
    title,
    async (_name, requests) => {
      await fc.assert(
        fc.asyncProperty(requests, async (r) => {
          await send(target().url, r, secrets);
        }),
        { numRuns: runs },
      );
    },
    FUZZ_TIMEOUT_MS,
  );
}
