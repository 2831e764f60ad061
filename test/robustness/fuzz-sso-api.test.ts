import { join } from 'node:path';
import fc from 'fast-check';
import { USERS, writeFileRealm } from '../support/file-realm';
import { basic, contentType, FUZZ_TIMEOUT_MS, type FuzzRequest, fuzzEachGroup, RUNS, send } from '../support/fuzz';
import { signingKey } from '../support/oidc-provider';
import { kibanaClient, type OidcRealmApi, startOidcRealmApi } from '../support/oidc-realm-api';
import { oidcRealmSettings, realmSetting, realmYaml, writeConfigFiles } from '../support/realm-settings';
import { startTestApi, type TestApi } from '../support/test-api';

/**
 * Property-based fuzzing of the role-mapping and OpenID Connect APIs through the local API: rules trees of
 * any shape and depth, template objects, bodies with any field wrong. Whatever arrives, the answer is a 4xx
 * in the contract's shape or a success, never a 5xx or a stack trace. The realm's provider is a closed
 * loopback port, so an authenticate that gets as far as the code exchange fails as the provider being down.
 */

let api: TestApi;
const SECRETS = Object.values(USERS).map((user) => user.password);
const ELASTIC = basic(`${USERS.elastic.username}:${USERS.elastic.password}`);
const runs = Math.min(RUNS, 400);

beforeAll(async () => {
  const op = 'http://127.0.0.1:9';
  const settings = oidcRealmSettings(op, {
    'rp.client_id': 'fuzz',
    'rp.redirect_uri': 'https://app.example.com/cb',
    'op.jwkset_path': 'jwks.json',
    'http.connect_timeout': '1s',
  });
  const dir = writeConfigFiles(await writeFileRealm(), {
    'jwks.json': JSON.stringify({ keys: [signingKey('fuzz').publicJwk] }),
    'elasticsearch.yml': realmYaml('oidc', 'oidc1', settings),
    'secure.json': JSON.stringify({ [realmSetting('oidc', 'oidc1', 'rp.client_secret')]: 'fuzz-client-secret' }),
  });
  const secure = join(dir, 'secure.json');
  api = await startTestApi({ ES_PATH_CONF: dir, ES_SECURE_SETTINGS: secure });
});
afterAll(() => api.close());

const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.double());
const fieldName = fc.constantFrom('username', 'dn', 'groups', 'realm.name', 'metadata.x', 'nope');
/** Values as patterns: wildcards, Lucene regexes (nested quantifiers and random syntax among them), DNs. */
const pattern = fc.oneof(
  fc.constantFrom('*', 'a*', '/a.*/', '/~a/', '/a', '/"x/', '/[a-/', '*,dc=example,dc=com', 'cn=a, dc=b'),
  fc.constantFrom('/(a+)+b/', '/(a|a)*b/', '/(.*a){20}/', '/(a{1000}){1000}/', '/a&b/', '/<1-9>/', `${'*?'.repeat(30)}X`),
  fc
    .array(fc.constantFrom('(', ')', 'a', '+', '*', '?', '|', '.', '{2,}', '[a-z]', '[^a]', '@', '#', '\\', '"', '~', '<'), {
      maxLength: 40,
    })
    .map((parts) => `/${parts.join('')}/`),
);

/** Rules as a client might write them, right or wrong at any depth. */
const { rule } = fc.letrec((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small' },
    fc.record({
      field: fc.dictionary(fieldName, fc.oneof(scalar, pattern, fc.array(fc.oneof(scalar, pattern), { maxLength: 3 })), {
        maxKeys: 2,
      }),
    }),
    fc.record({ any: fc.array(tie('rule'), { maxLength: 3 }) }),
    fc.record({ all: fc.array(tie('rule'), { maxLength: 3 }) }),
    fc.record({ except: tie('rule') }),
    fc.dictionary(fc.constantFrom('any', 'all', 'field', 'except', 'other'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }),
  ),
}));

const template = fc.oneof(
  fc.record({
    source: fc.oneof(fc.string(), fc.constantFrom('{{username}}', '{{#tojson}}groups{{/tojson}}', '{{#a}}', '{{> p}}')),
  }),
  fc.string(),
  fc.jsonValue({ maxDepth: 2 }),
);

const mappingBody = fc.record(
  {
    enabled: fc.oneof(fc.boolean(), scalar),
    roles: fc.oneof(fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }), scalar),
    role_templates: fc.array(
      fc.record({ template, format: fc.oneof(fc.constantFrom('json', 'string', 'JSON', 'yaml'), scalar) }, { requiredKeys: [] }),
      { maxLength: 2 },
    ),
    rules: fc.oneof(rule, fc.jsonValue({ maxDepth: 2 })),
    metadata: fc.oneof(fc.dictionary(fc.string({ maxLength: 4 }), scalar), scalar),
    run_as: fc.array(fc.string()),
  },
  { requiredKeys: [] },
);

const strings = (fields: readonly string[]) =>
  fc.dictionary(
    fc.constantFrom(...fields),
    fc.oneof(fc.string({ maxLength: 40 }), scalar, fc.constantFrom('oidc1', 'https://app.example.com/cb?code=c&state=s')),
    { maxKeys: fields.length },
  );

const request = (method: string, path: fc.Arbitrary<string>, body: fc.Arbitrary<unknown>) =>
  fc.record({ path, contentType, body }).map(
    ({ path, contentType, body }): FuzzRequest => ({
      method,
      path,
      authorization: ELASTIC,
      contentType,
      body: JSON.stringify(body),
    }),
  );

const mappingName = fc.oneof(
  fc.constantFrom('m1', 'm2', 'x-read-only-operator-mapping', '%zz', 'a%2Cb'),
  fc.string({ minLength: 1, maxLength: 8 }).map(encodeURIComponent),
);

describe('fuzzing the role-mapping and OpenID Connect APIs', () => {
  fuzzEachGroup(
    'RM-3, RM-4, OIDC-P-1, OIDC-P-2, OIDC-A-1, OIDC-A-2, OIDC-L-1: %s answers every request within the contract',
    [
      [
        'PUT role_mapping',
        request(
          'PUT',
          mappingName.map((n) => `/_security/role_mapping/${n}`),
          mappingBody,
        ),
      ],
      [
        'oidc/prepare',
        request(
          'POST',
          fc.constant('/_security/oidc/prepare'),
          strings(['realm', 'iss', 'login_hint', 'state', 'nonce', 'other']),
        ),
      ],
      [
        'oidc/authenticate',
        request(
          'POST',
          fc.constant('/_security/oidc/authenticate'),
          strings(['redirect_uri', 'state', 'nonce', 'realm', 'other']),
        ),
      ],
      ['oidc/logout', request('POST', fc.constant('/_security/oidc/logout'), strings(['token', 'refresh_token', 'other']))],
    ],
    () => api,
    { secrets: SECRETS, runs },
  );
});

/**
 * A real provider (the loopback oidc-provider) that misbehaves as each run says (test/support/oidc-provider-
 * process.mjs): `sub`, groups, name, mail and dn of any JSON type, principals up to 3,000 bytes, other claims of
 * any shape, and a claim nested up to 8,000 levels in the ID token, the userinfo answer or both. Every login
 * is answered within the contract: a pair for a string `sub` and well-typed claims, else the generic 401.
 */
describe('fuzzing OpenID Connect logins at a misbehaving provider', () => {
  let op: OidcRealmApi;

  beforeAll(async () => {
    op = await startOidcRealmApi(kibanaClient('fuzzed-claims'), { realm: 'oidc_op', extra: { 'claims.dn': 'dn' } });
  });
  afterAll(() => op?.close());

  /**
   * Principals: short, any code point, and long ASCII up to 3,000 bytes, past DynamoDB's 2,048-byte index key.
   * Kept there so that each run stays quick; principals past the 16 KiB a pair keeps (COMMON-9) are sent by
   * test/e2e/oidc-large-identity.test.ts.
   */
  const principal = fc.oneof(
    fc.string({ minLength: 1, maxLength: 24 }),
    fc.string({ minLength: 1, maxLength: 240, unit: 'binary' }),
    fc.integer({ min: 1, max: 3_000 }).map((n) => 'p'.repeat(n)),
  );
  const wrongType = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.oneof(principal, fc.integer(), fc.constant(null)), { maxLength: 3 }),
    fc.array(fc.array(principal, { maxLength: 2 }), { minLength: 1, maxLength: 2 }),
    fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }),
  );
  const claimValue = fc.oneof(
    { weight: 2, arbitrary: principal },
    { weight: 2, arbitrary: fc.array(principal, { maxLength: 3 }) },
    { weight: 1, arbitrary: wrongType },
  );
  /**
   * A claim the realm does not read, any JSON. A number at the top is kept as `oidc(other)` user metadata, or left
   * out (COMMON-9) when the store cannot hold it exactly: integers beyond 2^53, magnitudes beyond DynamoDB's range.
   */
  const keptClaim = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(2 ** 53, -(2 ** 53), 1e200, 1e-200, 2 ** 64));
  const claims = fc.record(
    {
      sub: fc.oneof({ weight: 3, arbitrary: principal }, { weight: 2, arbitrary: wrongType }),
      groups: claimValue,
      name: claimValue,
      email: claimValue,
      dn: claimValue,
      other: keptClaim,
    },
    { requiredKeys: ['sub'] },
  );
  const depth = fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 500 }) },
    { weight: 1, arbitrary: fc.constantFrom(399, 400, 3_000, 8_000) },
  );
  const misbehaviour = fc
    .record({
      id_token: claims,
      // Mostly the ID token's own claims, so that the login gets past the subject check to the merge.
      userinfo: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: claims }),
      depth: fc.record({ id_token: depth, userinfo: depth }),
    })
    .map(({ id_token, userinfo, depth }) => ({
      id_token,
      userinfo: userinfo ?? id_token,
      depth: JSON.parse(JSON.stringify(depth)),
    }));

  it(
    'OIDC-V-3, OIDC-U-1..OIDC-U-3, OIDC-A-7, COMMON-6: any claims are a pair or the generic 401, never for a sub that is not a string',
    async () => {
      await fc.assert(
        fc.asyncProperty(misbehaviour, async (how) => {
          const body = await op.browserLogIn(JSON.stringify(how));
          const r: FuzzRequest = {
            method: 'POST',
            path: '/_security/oidc/authenticate',
            authorization: ELASTIC,
            contentType: 'application/json',
            body: JSON.stringify(body),
          };
          const response = await send(op.api.url, r, SECRETS);
          if (typeof how.id_token.sub !== 'string') expect(response.status).toBe(401);
          if (response.status === 200) expect(JSON.parse(response.text).username).toBe(how.id_token.sub);
        }),
        { numRuns: Math.min(RUNS, 150) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
