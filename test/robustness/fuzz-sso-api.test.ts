import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { USERS, writeFileRealm } from '../support/file-realm';
import { basic, contentType, type FuzzRequest, fuzzEachGroup, RUNS } from '../support/fuzz';
import { signingKey } from '../support/oidc-provider';
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
  const dir = await writeFileRealm();
  writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: [signingKey('fuzz').publicJwk] }));
  const op = 'http://127.0.0.1:9';
  const realm = 'xpack.security.authc.realms.oidc.oidc1';
  writeFileSync(
    join(dir, 'elasticsearch.yml'),
    [
      `${realm}.rp.client_id: fuzz`,
      `${realm}.rp.response_type: code`,
      `${realm}.rp.redirect_uri: https://app.example.com/cb`,
      `${realm}.op.issuer: ${op}`,
      `${realm}.op.authorization_endpoint: ${op}/auth`,
      `${realm}.op.token_endpoint: ${op}/token`,
      `${realm}.op.jwkset_path: jwks.json`,
      `${realm}.claims.principal: sub`,
      `${realm}.http.connect_timeout: 1s`,
      '',
    ].join('\n'),
  );
  const secure = join(dir, 'secure.json');
  writeFileSync(secure, JSON.stringify({ [`${realm}.rp.client_secret`]: 'fuzz-client-secret' }));
  api = await startTestApi({ ES_PATH_CONF: dir, ES_SECURE_SETTINGS: secure });
});
afterAll(() => api.close());

const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.double());
const fieldName = fc.constantFrom('username', 'dn', 'groups', 'realm.name', 'metadata.x', 'nope');
const pattern = fc.constantFrom('*', 'a*', '/a.*/', '/~a/', '/a', '/"x/', '/[a-/', '*,dc=example,dc=com', 'cn=a, dc=b');

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
