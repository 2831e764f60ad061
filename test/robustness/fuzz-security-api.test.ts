import fc from 'fast-check';
import { hashPassword } from '../../functions/security/authc/passwords/bcrypt';
import { USERS } from '../support/file-realm';
import {
  contentType as anyContentType,
  authorization,
  type EndpointContract,
  FUZZ_TIMEOUT_MS,
  type FuzzRequest,
  isPlainObject,
  type Json,
  late,
  malformedBody,
  RUNS,
  send,
} from '../support/fuzz';
import { authorizationHeader, type Credentials, call, passwordGrant, startTestApi, type TestApi } from '../support/test-api';

/**
 * Runs per property: at most 500, as the SSO and SAML suites take at most 400 and 300. Each run is a request that
 * reaches DynamoDB Local's users and roles tables, and ten properties of 1,000 took a third of the suite's time;
 * the bodies are weighted (the endpoint's own, one field wrong, hostile names) so each case is still reached
 * many times. FUZZ_RUNS lowers it, or raises it past 500 for the long variant.
 */
const runs = process.env.FUZZ_RUNS === undefined ? Math.min(RUNS, 500) : RUNS;
/**
 * Property-based fuzzing of the user and role APIs through the local API, as fuzz-http.test.ts does for the
 * token APIs: whatever arrives (bodies shaped like the endpoint's own with any field wrong, names in the path
 * that are random, reserved, badly escaped or huge, any Authorization header), the answer is a 4xx in the
 * contract's shape or the endpoint's own success; never a 5xx, a stack trace or a password.
 *
 * New passwords cost a bcrypt hash at cost 10 (~100 ms): the bodies are weighted so that most runs are
 * refused, or store a `password_hash` (no hashing), and only a minority hash a password.
 */

/**
 * Native users the suite authenticates as. Only the enable/disable property names them in a path (a user may
 * not change its own status), and every property starts from them afresh (resetFixtures).
 */
const FUZZ_ADMIN: Credentials = { username: 'fuzz_admin', password: 'fuzz-admin-password' };
const FUZZ_PLAIN: Credentials = { username: 'fuzz_plain', password: 'fuzz-plain-password' };
const VICTIM_PASSWORD = 'fuzz-victim-password';
const HASHED_PASSWORD = 'fuzz-hashed-password';
const SECRETS = [
  USERS.elastic.password,
  USERS.tokenClient.password,
  USERS.reader.password,
  USERS.admin.password,
  FUZZ_ADMIN.password,
  FUZZ_PLAIN.password,
  VICTIM_PASSWORD,
  HASHED_PASSWORD,
];

/** Names the fuzz manages: native users and roles that exist, reserved ones, file-realm ones, unknown ones. */
const USER_NAMES = ['victim_a', 'victim_b', 'elastic', 'kibana_system', 'reader', 'file_admin', 'token_client', '_x', 'nobody'];
const ROLE_NAMES = ['role_a', 'role_b', 'superuser', 'kibana_system', 'monitoring', 'token_manager', '_x', 'nothing'];

let api: TestApi;
/** A bcrypt hash (cost 4) of HASHED_PASSWORD: a put with it stores a user without hashing anything. */
let validHash: string;
let elasticToken: string;
let readerToken: string;

async function putFixture(path: string, body: unknown): Promise<void> {
  const response = await call(api, 'PUT', path, { auth: USERS.elastic, body });
  if (response.status !== 200) throw new Error(`fixture ${path}: ${response.status} ${response.text}`);
}

/** The users and roles the fuzz starts each endpoint from (a property may delete, disable or replace them). */
async function resetFixtures(): Promise<void> {
  await putFixture('/_security/role/fuzz_security_admin', { cluster: ['manage_security'] });
  await putFixture('/_security/role/fuzz_monitor', { cluster: ['monitor'] });
  for (const role of ['role_a', 'role_b']) await putFixture(`/_security/role/${role}`, { cluster: ['monitor'] });
  const userHash = await hashPassword(FUZZ_ADMIN.password, 4);
  await putFixture('/_security/user/fuzz_admin', { password_hash: userHash, roles: ['fuzz_security_admin'] });
  const plainHash = await hashPassword(FUZZ_PLAIN.password, 4);
  await putFixture('/_security/user/fuzz_plain', { password_hash: plainHash, roles: ['fuzz_monitor'] });
  const victimHash = await hashPassword(VICTIM_PASSWORD, 4);
  for (const user of ['victim_a', 'victim_b']) {
    await putFixture(`/_security/user/${user}`, { password_hash: victimHash, roles: ['role_a'], full_name: user });
  }
}

beforeAll(async () => {
  api = await startTestApi();
  validHash = await hashPassword(HASHED_PASSWORD, 4);
  elasticToken = (await passwordGrant(api, USERS.elastic)).access_token;
  readerToken = (await passwordGrant(api, USERS.reader)).access_token;
});
afterAll(() => api.close());
beforeEach(resetFixtures);

// ---------------------------------------------------------------------------------------------------------
// Callers

const header = (credentials: Credentials) => authorizationHeader(credentials).authorization as string;

/**
 * Half the runs come from a caller allowed to manage security (so the bodies reach the handlers' rules and
 * the store), the rest from callers that are refused: anonymous, unprivileged, malformed, unknown tokens.
 */
const callerAuthorization = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.constant(header(USERS.elastic)), // reserved superuser
      fc.constant(header(USERS.admin)), // file-realm superuser
      fc.constant(header(FUZZ_ADMIN)), // native user with a native role granting manage_security
      late(() => `Bearer ${elasticToken}`),
    ),
  },
  {
    weight: 1,
    arbitrary: authorization([
      fc.constant(header(USERS.reader)), // file realm, no security privilege
      fc.constant(header(USERS.tokenClient)), // manage_token only
      fc.constant(header(FUZZ_PLAIN)), // native user, native role without it
      late(() => `Bearer ${readerToken}`),
    ]),
  },
);

/** Mostly JSON, so that bodies are read; else every kind the token fuzz sends. */
const contentType = fc.oneof({ weight: 3, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: anyContentType });

// ---------------------------------------------------------------------------------------------------------
// Names in the path

/** Printable ASCII kept raw (so `%` and malformed escapes go through); what would change the route is encoded. */
const asPathSegment = (s: string) => s.replace(/[^\x21-\x7e]|[/?#]/g, (c) => encodeURIComponent(c));

const LATIN1 = Array.from({ length: 0x80 }, (_, i) => String.fromCharCode(0x80 + i));

/** One name as it appears in a path: known, random, percent-encoded, badly escaped, reserved, too long. */
function nameSegment(known: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...known) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).map(encodeURIComponent) },
    { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 30 }).map(asPathSegment) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '%',
        '%zz',
        'a%',
        '%2',
        '%e0%a4',
        '%ff',
        '%ED%A0%80', // UTF-8 of a lone surrogate
        '%00',
        '%7F',
        '%20leading',
        'trailing%20',
        '%2F',
        'a%2Fb',
        '%2e%2e',
        '..',
        '.',
        '%C3%A9',
        'a,b',
        '%2C',
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }).map((s) => `_${asPathSegment(s)}`) },
    { weight: 1, arbitrary: fc.integer({ min: 505, max: 510 }).map((n) => 'n'.repeat(n)) },
    { weight: 1, arbitrary: fc.integer({ min: 511, max: 20_000 }).map((n) => 'n'.repeat(n)) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...LATIN1), minLength: 1, maxLength: 10 }) },
  );
}

/** `a,b,c` as get user and get role read it, including empty entries and a long list. */
function nameList(known: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: nameSegment(known) },
    { weight: 3, arbitrary: fc.array(nameSegment(known), { minLength: 2, maxLength: 4 }).map((names) => names.join(',')) },
    { weight: 1, arbitrary: fc.constantFrom(',', ',,', '%20,%20', `${known[0]},`, `,${known[0]}`) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 10, max: 30 }).map((n) => Array.from({ length: n }, (_, i) => `name${i}`).join(',')),
    },
  );
}

// ---------------------------------------------------------------------------------------------------------
// Bodies

/** A value of the wrong JSON type for any field. */
const anyValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));

const LONE_SURROGATES = fc.constantFrom('\ud800', 'x\udc00y', '\udfff\ud800', 'a\ud83d');

/** A string of any kind: random, any code point, lone surrogates, control characters, long. */
const anyString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: LONE_SURROGATES },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u0000', '\n', '"', '\\', '\u2028') },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 70_000 }).map((n) => 's'.repeat(n)) },
);

/** A string a field may hold: any code point, lone surrogates, but short. */
const shortString = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }), LONE_SURROGATES);

/** A new password: hashed with bcrypt at cost 10, so the rarest way to set one. */
const newPassword = fc.string({ minLength: 8, maxLength: 40 }).map((s) => `pw-${s}`);

/**
 * `password`: mostly refused before hashing (too short, not a string). A password of 6 characters or more is
 * hashed (bcrypt, cost 10) as soon as it is read, as Elasticsearch does, even when the request then fails.
 */
const password = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 5 }) },
  { weight: 3, arbitrary: anyValue },
  { weight: 1, arbitrary: newPassword },
  { weight: 1, arbitrary: anyString },
);
/** A well-formed bcrypt hash but for its cost. */
const BCRYPT_BODY = 'N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';
/** bcrypt costs Elasticsearch's Hasher has no variant for (it knows 4 to 14), in every spelling, some a character off. */
const unboundedBcrypt = fc
  .tuple(
    fc.constantFrom('$2a$', '$2b$', '$2y$', '$2x$', '$2$', '$3a$'),
    fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 15, max: 99 })),
    fc.constantFrom(BCRYPT_BODY, BCRYPT_BODY.slice(1), `${BCRYPT_BODY}x`),
  )
  .map(([prefix, cost, body]) => `${prefix}${String(cost).padStart(2, '0')}$${body}`);
/** Hashes with the prefixes Hasher knows, some it does not, and iteration counts of every kind. */
const oddPrefixHash = fc
  .tuple(
    fc.constantFrom('{PBKDF2}', '{PBKDF2_STRETCH}', '{pbkdf2}', '{SHA}', '{MD5}', '{SSHA256}', '{NOOP}', '{BCRYPT}', '{}'),
    fc.oneof(fc.integer().map(String), fc.constantFrom('', '1000', '10000', '1000000', '+1000', '-1', '99999999999', 'x')),
    fc.string({ maxLength: 60 }),
  )
  .map(([prefix, iterations, rest]) => `${prefix}${iterations}$${rest}`);

const passwordHash = fc.oneof(
  { weight: 3, arbitrary: late(() => validHash) },
  { weight: 1, arbitrary: unboundedBcrypt },
  { weight: 1, arbitrary: oddPrefixHash },
  { weight: 1, arbitrary: late(() => validHash.replace(/^\$2a\$/, '$2y$')) },
  { weight: 1, arbitrary: late(() => validHash.slice(0, -1)) },
  { weight: 1, arbitrary: fc.constantFrom('{SHA}x', '{PBKDF2}10000$a$b', '{SSHA256}abc', '$2a$04$short', '') },
  { weight: 1, arbitrary: anyString },
  { weight: 1, arbitrary: anyValue },
);

const name = (known: readonly string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: anyString },
    { weight: 1, arbitrary: fc.constantFrom('', ' x', 'x ', '_x', 'superuser', 'a,b') },
  );

const strings = (item: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.array(item, { maxLength: 5 }) },
    { weight: 1, arbitrary: item },
    { weight: 1, arbitrary: fc.array(anyValue, { minLength: 1, maxLength: 3 }) },
    { weight: 1, arbitrary: anyValue },
  );

/** Deep or strange JSON objects: reserved `_` keys, prototype names, huge numbers, deep nesting. */
const metadata = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      ...['{"_reserved":true}', '{"__proto__":1}', '{"constructor":1}', '{"n":1e308}', '{"toString":"x"}'].map((json) =>
        JSON.parse(json),
      ),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 30, max: 300 }).map((n) => {
      let deep: Json = 1;
      for (let i = 0; i < n; i++) deep = { d: deep };
      return deep;
    }),
  },
  { weight: 1, arbitrary: LONE_SURROGATES.map((s) => ({ [s]: s })) },
  { weight: 1, arbitrary: anyValue },
);

const boolean = fc.oneof({ weight: 3, arbitrary: fc.boolean() }, { weight: 1, arbitrary: anyValue });
const nullableString = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 4, arbitrary: anyString },
  { weight: 1, arbitrary: anyValue },
);

/** Stands for the username of the path, so that a body's `username` sometimes matches it. */
const SAME_AS_PATH = '\u0000same-as-path';

/** A name Elasticsearch accepts: printable ASCII, no space at either end. */
const validName = (known: readonly string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,18}[\x21-\x7e])?$/) },
  );

/** Metadata Elasticsearch accepts (no `_` key), any JSON inside. */
const validMetadata = fc.dictionary(
  fc.string({ maxLength: 10 }).filter((key) => !key.startsWith('_')),
  fc.jsonValue({ maxDepth: 3 }),
  { maxKeys: 4 },
);

/** Set a password's hash (no hashing here), sometimes a password, else keep the stored one. */
const validCredentials = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined).map(() => ({ password_hash: validHash })) },
  { weight: 3, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: newPassword.map((p) => ({ password: p })) },
);

const validPutUser = fc
  .tuple(
    validCredentials,
    fc.record(
      {
        roles: fc.array(validName(ROLE_NAMES), { maxLength: 4 }),
        full_name: fc.option(shortString),
        email: fc.option(shortString),
        metadata: validMetadata,
        enabled: fc.boolean(),
        username: fc.constant(SAME_AS_PATH),
      },
      { requiredKeys: ['roles'] },
    ),
  )
  .map(([credentials, fields]) => ({ ...credentials, ...fields }));

const putUserFields = {
  password,
  password_hash: passwordHash,
  roles: fc.oneof(
    { weight: 4, arbitrary: strings(name(ROLE_NAMES)) },
    { weight: 1, arbitrary: fc.array(name(ROLE_NAMES), { maxLength: 4 }).map((roles) => roles.join(',')) },
  ),
  full_name: nullableString,
  email: nullableString,
  metadata,
  enabled: boolean,
  username: fc.oneof(fc.constant(SAME_AS_PATH), name(USER_NAMES), anyValue),
};

const validChangePassword = fc.oneof(
  { weight: 9, arbitrary: fc.constant(undefined).map(() => ({ password_hash: validHash })) },
  { weight: 1, arbitrary: newPassword.map((p) => ({ password: p })) },
);

const changePasswordFields = { password, password_hash: passwordHash };

const privileges = fc.constantFrom('all', 'manage_security', 'manage_token', 'monitor', 'none', 'read', 'write', 'manage');
const privilegeList = strings(fc.oneof(privileges, anyString));
/** Cluster privileges the role API resolves (`read` and `write` are index privileges, refused in `cluster`). */
const clusterPrivileges = fc.constantFrom(
  'all',
  'manage_security',
  'manage_token',
  'monitor',
  'none',
  'manage',
  'cluster:monitor/*',
);
/**
 * Patterns a backtracking engine takes exponential time over (nested quantifiers, runs of `*?`), ones the
 * matcher refuses (complement, intersection, intervals, syntax errors), and random Lucene-syntax soup.
 */
const hostileRunAs = fc.oneof(
  fc.constantFrom('/(a+)+b/', '/(a|a)*b/', '/(a*)*b/', '/(.*a){20}/', '/((a+)+)+c/', '/~a/', '/a&b/', '/<1-9>/', '/(a/', '/[/'),
  fc
    .array(fc.constantFrom('(', ')', 'a', '+', '*', '?', '|', '.', '{2,}', '{1,3}', '[a-z]', '[^a]', '@', '#', '\\', '"'), {
      maxLength: 60,
    })
    .map((parts) => `/${parts.join('')}/`),
  fc.integer({ min: 1, max: 40 }).map((n) => `${'*?'.repeat(n)}X`),
);
const hostileCluster = fc.integer({ min: 1, max: 40 }).map((n) => `cluster:${'*?'.repeat(n)}X`);
/** Run-as header values a nested quantifier backtracks longest over. */
const hostileTarget = fc.oneof(
  fc.integer({ min: 1, max: 60 }).map((n) => 'a'.repeat(n)),
  fc.stringMatching(/^[a-zA-Z0-9_*?()+.-]{1,60}$/),
);
const objects = (item: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.array(item, { maxLength: 3 }) },
    { weight: 1, arbitrary: item },
    { weight: 1, arbitrary: anyValue },
  );

const validPutRole = fc.record(
  {
    cluster: fc.array(fc.oneof({ weight: 4, arbitrary: clusterPrivileges }, { weight: 1, arbitrary: hostileCluster }), {
      maxLength: 3,
    }),
    indices: fc.array(
      fc.record({
        names: fc.array(fc.string(), { minLength: 1, maxLength: 3 }),
        privileges: fc.array(privileges, { maxLength: 3 }),
      }),
      { maxLength: 2 },
    ),
    applications: fc.array(
      fc.record({
        application: fc.string(),
        privileges: fc.array(fc.string(), { maxLength: 2 }),
        resources: fc.array(fc.string()),
      }),
      { maxLength: 2 },
    ),
    run_as: fc.array(fc.oneof({ weight: 4, arbitrary: validName(USER_NAMES) }, { weight: 1, arbitrary: hostileRunAs }), {
      maxLength: 2,
    }),
    metadata: validMetadata,
    description: fc.string({ maxLength: 100 }),
  },
  { requiredKeys: [] },
);

const putRoleFields = {
  cluster: privilegeList,
  indices: objects(
    fc.record(
      {
        names: strings(anyString),
        privileges: privilegeList,
        field_security: fc.oneof(fc.record({ grant: strings(anyString), except: strings(anyString) }), anyValue),
        query: fc.oneof(anyString, fc.jsonValue({ maxDepth: 3 })),
        allow_restricted_indices: boolean,
      },
      { requiredKeys: [] },
    ),
  ),
  applications: objects(
    fc.record({ application: anyString, privileges: privilegeList, resources: strings(anyString) }, { requiredKeys: [] }),
  ),
  run_as: strings(fc.oneof(name(USER_NAMES), hostileRunAs)),
  metadata,
  transient_metadata: metadata,
  global: metadata,
  remote_indices: objects(fc.record({ clusters: strings(anyString), names: strings(anyString), privileges: privilegeList })),
  remote_cluster: objects(fc.record({ clusters: strings(anyString), privileges: privilegeList })),
  description: fc.oneof(
    anyString,
    fc.integer({ min: 995, max: 1005 }).map((n) => 'd'.repeat(n)),
    anyValue,
  ),
};

/** A few fields no endpoint knows, prototype names among them (fast-check's strings include `__proto__`, `constructor`). */
const unknownFields = fc.oneof(
  { weight: 4, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), anyValue, { maxKeys: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty').map((k) => ({ [k]: [] })) },
);

/** A field's value given twice, as Elasticsearch's parser refuses and JSON.parse would silently accept. */
function withDuplicate(json: string, fields: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(...fields), anyValue).map(([field, value]) => {
    const first = `"${field}":${JSON.stringify(value)}`;
    return json === '{}' ? `{${first},${first}}` : `{${first},${json.slice(1)}`.replace(/}$/, `,${first}}`);
  });
}

type FieldArbitraries = Record<string, fc.Arbitrary<unknown>>;

/**
 * An endpoint's body as an object: valid (so that runs reach the store), valid but for one field, or any of
 * its fields with any value and fields it does not know.
 */
function endpointObject(valid: fc.Arbitrary<Record<string, unknown>>, fields: FieldArbitraries) {
  const oneWrong = fc
    .tuple(valid, fc.constantFrom(...Object.keys(fields)))
    .chain(([object, field]) => (fields[field] as fc.Arbitrary<unknown>).map((value) => ({ ...object, [field]: value })));
  const anything = fc
    .tuple(fc.record(fields, { requiredKeys: [] }), unknownFields)
    .map(([known, unknown]) => ({ ...known, ...unknown }));
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: oneWrong }, { weight: 2, arbitrary: anything });
}

/**
 * The bodies of one endpoint: its own (see endpointObject), sometimes with a field twice or invalid UTF-8
 * bytes inside a string, else every malformed kind the token fuzz sends.
 */
function endpointBody(valid: fc.Arbitrary<Record<string, unknown>>, fields: FieldArbitraries) {
  const names = Object.keys(fields);
  const object = endpointObject(valid, fields);
  const MARK = '\u0001invalid-utf8\u0001';
  return fc.oneof(
    { weight: 12, arbitrary: object.map((o) => JSON.stringify(o)) },
    { weight: 1, arbitrary: object.chain((o) => withDuplicate(JSON.stringify(o), names)) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(object, fc.constantFrom(...names), fc.uint8Array({ minLength: 1, maxLength: 16 }))
        .map(([o, field, bytes]) => {
          const [before, after] = JSON.stringify({ ...o, [field]: MARK }).split(JSON.stringify(MARK));
          return Buffer.concat([Buffer.from(`${before}"`), Buffer.from(bytes.map((b) => b | 0x80)), Buffer.from(`"${after}`)]);
        }),
    },
    { weight: 3, arbitrary: malformedBody(names) },
  );
}

/** Delete, enable and disable read no body: one is sometimes sent anyway (any kind), and must change nothing. */
const unreadBody = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: malformedBody(Object.keys(putUserFields)) },
);

// ---------------------------------------------------------------------------------------------------------
// Requests and what each endpoint may answer

function request(
  method: fc.Arbitrary<string>,
  path: fc.Arbitrary<string>,
  body: fc.Arbitrary<string | Buffer | undefined> = fc.constant(undefined),
): fc.Arbitrary<FuzzRequest> {
  return fc.record({ method, path, authorization: callerAuthorization, contentType, body }).map((r) => {
    // A body's `username` that stands for the path's: the decoded name, when it decodes.
    if (typeof r.body !== 'string' || !r.body.includes(JSON.stringify(SAME_AS_PATH))) return r;
    let username: string;
    try {
      username = decodeURIComponent(r.path.split('/')[3] ?? '');
    } catch {
      username = '';
    }
    return { ...r, body: r.body.replaceAll(JSON.stringify(SAME_AS_PATH), JSON.stringify(username)) };
  });
}

/**
 * The passwords of a request's body that no answer may show: every `password` string long enough not to be
 * found in an answer by chance, and found nowhere else in the request (an answer may quote the path's name,
 * the caller's name, or a field's name).
 */
function passwordsOf(r: FuzzRequest): string[] {
  const raw = r.body === undefined ? '' : r.body.toString();
  let parsed: Json;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [];
  }
  const value = isPlainObject(parsed) ? parsed.password : undefined;
  if (typeof value !== 'string' || value.length < 8) return [];
  const quoted = JSON.stringify(value);
  if (raw.split(quoted).length !== 2) return [];
  const elsewhere = [r.path, decodeSafely(r.path), r.authorization ?? '', basicCredentials(r.authorization)];
  return elsewhere.some((text) => text.includes(value)) ? [] : [value];
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function basicCredentials(authorization: string | undefined): string {
  const value = /^Basic (.*)$/i.exec(authorization ?? '')?.[1];
  return value === undefined ? '' : Buffer.from(value, 'base64').toString('utf8');
}

const hasKeys = (json: Json, keys: readonly string[]) =>
  isPlainObject(json) && JSON.stringify(Object.keys(json)) === JSON.stringify(keys);
const isStringArray = (json: Json) => Array.isArray(json) && json.every((item) => typeof item === 'string');
const isNullableString = (json: Json) => json === null || typeof json === 'string';

const USER_KEYS = ['username', 'roles', 'full_name', 'email', 'metadata', 'enabled'];

/** A user as get user shows it: AU-3's keys in order, never a password or hash. */
function isUser(username: string, user: Json): boolean {
  return (
    hasKeys(user, USER_KEYS) &&
    user.username === username &&
    isStringArray(user.roles) &&
    isNullableString(user.full_name) &&
    isNullableString(user.email) &&
    isPlainObject(user.metadata) &&
    typeof user.enabled === 'boolean'
  );
}

/** A role as get role shows it: Elasticsearch's keys and defaults, `cluster` first. */
function isRole(role: Json): boolean {
  return (
    isPlainObject(role) &&
    Object.keys(role)[0] === 'cluster' &&
    isStringArray(role.cluster) &&
    Array.isArray(role.indices) &&
    Array.isArray(role.applications) &&
    isStringArray(role.run_as) &&
    isPlainObject(role.metadata) &&
    hasKeys(role.transient_metadata, ['enabled'])
  );
}

const nonEmptyMapOf = (isEntry: (name: string, value: Json) => boolean) => (json: Json) =>
  isPlainObject(json) && Object.keys(json).length > 0 && Object.entries(json).every(([key, value]) => isEntry(key, value));

const isEmptyObject = (json: Json) => hasKeys(json, []);
const isFound = (json: Json) => hasKeys(json, ['found']) && json.found === true;
/** Delete user and delete role answer `{"found":false}` with 404 (Elasticsearch's RestDeleteUserAction, RestDeleteRoleAction). */
const isNotFound = (json: Json) => hasKeys(json, ['found']) && json.found === false;
/** The other endpoints answer a 404 only as an ES error. */
const noNotFoundBody = () => false;

interface SecurityContract extends EndpointContract {
  /** The endpoint reads a JSON body: one that names a field twice must be refused, as Elasticsearch's parser does. */
  readonly readsBody?: boolean;
}

const CONTRACTS = {
  putUser: {
    success: (json: Json) => hasKeys(json, ['created']) && typeof json.created === 'boolean',
    notFound: noNotFoundBody,
    readsBody: true,
  },
  // `{}` is get user's and get role's documented 404 body (RestGetUsersAction, RestGetRolesAction).
  getUsers: { success: nonEmptyMapOf(isUser), notFound: isEmptyObject },
  deleteUser: { success: isFound, notFound: isNotFound },
  changePassword: { success: isEmptyObject, notFound: noNotFoundBody, readsBody: true },
  setUserEnabled: { success: isEmptyObject, notFound: noNotFoundBody },
  putRole: {
    success: (json: Json) => hasKeys(json, ['role']) && hasKeys(json.role, ['created']) && typeof json.role.created === 'boolean',
    notFound: noNotFoundBody,
    readsBody: true,
  },
  getRoles: { success: nonEmptyMapOf((_, role) => isRole(role)), notFound: isEmptyObject },
  deleteRole: { success: isFound, notFound: isNotFound },
} satisfies Record<string, SecurityContract>;

/**
 * Sends a request and checks its answer against the endpoint's contract, and two things more: no message
 * prints a JavaScript value, and a body that names a field twice never succeeds.
 */
async function check(r: FuzzRequest, contract: SecurityContract): Promise<void> {
  const response = await send(api.url, r, SECRETS, { ...contract, secrets: passwordsOf(r) });
  const leaked = JS_VALUE_TEXT.exec(response.text)?.[0];
  if (leaked !== undefined && !requestText(r).includes(leaked)) {
    expect(`an answer that prints a JavaScript value (${leaked}): ${r.method} ${r.path} -> ${response.text.slice(0, 300)}`).toBe(
      'no JavaScript values',
    );
  }
  if (contract.readsBody && r.body !== undefined && hasDuplicateField(r.body.toString()) && response.status < 300) {
    expect(`accepted a body that names a field twice: ${r.method} ${r.path} ${r.body}`).toBe('refused');
  }
}

/**
 * What a message shows when it interpolates a value that is not there (a field's kind looked up on an
 * object's prototype, say): never a word of the contract, so only allowed when the request itself holds it.
 */
const JS_VALUE_TEXT = /\bundefined\b|\[object Object\]|\bNaN\b/;

/** Everything of a request an answer may quote: the path (raw and decoded), the credentials, the body. */
function requestText(r: FuzzRequest): string {
  return [r.path, decodeSafely(r.path), r.authorization ?? '', basicCredentials(r.authorization), r.body?.toString() ?? ''].join(
    '\n',
  );
}

/** Whether a JSON text names a field twice in one object (Elasticsearch's parser refuses it). */
function hasDuplicateField(text: string): boolean {
  try {
    JSON.parse(text);
  } catch {
    return false;
  }
  const scopes: (Set<string> | undefined)[] = [];
  let found = false;
  // Every string is read whole (a brace inside one is not structure); a string followed by `:` is a key.
  const pattern = /("(?:[^"\\]|\\.)*")(\s*:)?|[{}[\]]/g;
  for (const match of text.matchAll(pattern)) {
    const token = match[0];
    if (token === '{') scopes.push(new Set());
    else if (token === '[') scopes.push(undefined);
    else if (token === '}' || token === ']') scopes.pop();
    else if (match[2] !== undefined) {
      const key = JSON.parse(match[1] as string) as string;
      const scope = scopes[scopes.length - 1];
      if (scope?.has(key)) found = true;
      scope?.add(key);
    }
  }
  return found;
}

const USER = '/_security/user';
const ROLE = '/_security/role';
const putOrPost = fc.constantFrom('PUT', 'POST');

const property = (arbitrary: fc.Arbitrary<FuzzRequest>, contract: SecurityContract) =>
  fc.assert(
    fc.asyncProperty(arbitrary, (r) => check(r, contract)),
    { numRuns: runs },
  );

describe('fuzzing the user and role APIs over HTTP', () => {
  it(
    `PUT|POST /_security/user/{username} answers every request in the contract's shapes (${runs} runs)`,
    async () => {
      const path = nameSegment(USER_NAMES).map((n) => `${USER}/${n}`);
      await property(request(putOrPost, path, endpointBody(validPutUser, putUserFields)), CONTRACTS.putUser);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    `GET /_security/user[/{username}] answers every request in the contract's shapes (${runs} runs)`,
    async () => {
      const path = fc.oneof(
        { weight: 1, arbitrary: fc.constant(USER) },
        { weight: 19, arbitrary: nameList(USER_NAMES).map((names) => `${USER}/${names}`) },
      );
      await property(request(fc.constant('GET'), path), CONTRACTS.getUsers);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    `DELETE /_security/user/{username} answers every request in the contract's shapes (${runs} runs)`,
    async () => {
      const path = nameSegment(USER_NAMES).map((n) => `${USER}/${n}`);
      await property(request(fc.constant('DELETE'), path, unreadBody), CONTRACTS.deleteUser);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    `PUT|POST /_security/user/{username}/_password answers every request in the contract's shapes (${runs} runs)`,
    async () => {
      const path = nameSegment(USER_NAMES).map((n) => `${USER}/${n}/_password`);
      await property(request(putOrPost, path, endpointBody(validChangePassword, changePasswordFields)), CONTRACTS.changePassword);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'a bcrypt cost outside 4..14 is never stored, by put user or change password: 400 illegal_argument_exception',
    async () => {
      const path = fc.constantFrom(`${USER}/victim_a`, `${USER}/victim_a/_password`);
      await fc.assert(
        fc.asyncProperty(path, unboundedBcrypt, async (target, hash) => {
          const body = target.endsWith('_password') ? { password_hash: hash } : { password_hash: hash, roles: [] };
          const response = await call(api, 'PUT', target, { auth: USERS.elastic, body });
          expect([response.status, response.body.error?.type]).toEqual([400, 'illegal_argument_exception']);
        }),
        { numRuns: Math.min(runs, 300) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    `PUT|POST /_security/user/{username}/_enable|_disable answer every request in the contract's shapes (${runs} runs)`,
    async () => {
      // The callers' own names too: a native user may not change its own enabled status.
      const names = [...USER_NAMES, FUZZ_ADMIN.username, FUZZ_PLAIN.username];
      const path = fc
        .tuple(nameSegment(names), fc.constantFrom('_enable', '_disable'))
        .map(([n, action]) => `${USER}/${n}/${action}`);
      await property(request(putOrPost, path, unreadBody), CONTRACTS.setUserEnabled);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    `PUT|POST /_security/role/{name} answers every request in the contract's shapes (${runs} runs)`,
    async () => {
      const path = nameSegment(ROLE_NAMES).map((n) => `${ROLE}/${n}`);
      await property(request(putOrPost, path, endpointBody(validPutRole, putRoleFields)), CONTRACTS.putRole);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    `GET /_security/role[/{name}] answers every request in the contract's shapes (${runs} runs)`,
    async () => {
      const path = fc.oneof(
        { weight: 1, arbitrary: fc.constant(ROLE) },
        { weight: 19, arbitrary: nameList(ROLE_NAMES).map((names) => `${ROLE}/${names}`) },
      );
      await property(request(fc.constant('GET'), path), CONTRACTS.getRoles);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    `DELETE /_security/role/{name} answers every request in the contract's shapes (${runs} runs)`,
    async () => {
      const path = nameSegment(ROLE_NAMES).map((n) => `${ROLE}/${n}`);
      await property(request(fc.constant('DELETE'), path, unreadBody), CONTRACTS.deleteRole);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    `a held role's nested-quantifier run_as and cluster patterns are matched within the contract (${runs} runs)`,
    async () => {
      const victim = header({ username: 'victim_a', password: VICTIM_PASSWORD });
      const held = fc.record({
        cluster: fc.array(fc.oneof(hostileCluster, clusterPrivileges), { maxLength: 2 }),
        run_as: fc.array(hostileRunAs, { minLength: 1, maxLength: 2 }),
      });
      const action = fc.constantFrom(['GET', `${USER}/victim_b`], ['GET', '/_security/_authenticate'], ['GET', ROLE]);
      await fc.assert(
        fc.asyncProperty(held, action, hostileTarget, async (role, [method, path], target) => {
          // victim_a holds role_a (resetFixtures); a role the API refuses leaves the previous one in place.
          const put = JSON.stringify(role);
          const authorization = header(USERS.elastic);
          await check(
            { method: 'PUT', path: `${ROLE}/role_a`, authorization, contentType: 'application/json', body: put },
            CONTRACTS.putRole,
          );
          const headers = { 'es-security-runas-user': target };
          await check({ method, path, authorization: victim, contentType: undefined, body: undefined, headers }, {});
        }),
        { numRuns: runs },
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
