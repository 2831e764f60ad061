import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { USERS } from '../support/file-realm';
import { basic, contentType, FUZZ_TIMEOUT_MS, type FuzzRequest, fuzzEachGroup, RUNS, send } from '../support/fuzz';
import { assertionXml, base64, recordSamlResponse, responseXml, sign } from '../support/saml-messages';
import { kibanaSp, type SamlRealmApi, startSamlRealmApi } from '../support/saml-realm-api';
import type { TestApi } from '../support/test-api';

/**
 * Property-based fuzzing of the SAML APIs through the local API, with a realm `saml1` of a real (samlify) IdP:
 * bodies with any field wrong, `content` as base64 of XML-like text (a DOCTYPE, comments, elements of the SAML
 * namespaces, truncated documents), redirect query strings with any parameters, deflated or not. Whatever
 * arrives, the answer is a 4xx in the contract's shape or a success, never a 5xx or a stack trace.
 */

const SP = kibanaSp('fuzz-sp');
const SECRETS = Object.values(USERS).map((user) => user.password);
const ELASTIC = basic(`${USERS.elastic.username}:${USERS.elastic.password}`);
const runs = Math.min(RUNS, 300);

let saml: SamlRealmApi;
let api: TestApi;

beforeAll(async () => {
  saml = await startSamlRealmApi(SP);
  ({ api } = saml);
});
afterAll(() => saml?.close());

const fragment = fc.constantFrom(
  '<?xml version="1.0"?>',
  '<!DOCTYPE r [<!ENTITY x "x">]>',
  '<!-- c -->',
  '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" InResponseTo="_id">',
  '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a">',
  '<saml:NameID>myuser</saml:NameID>',
  '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/></ds:Signature>',
  '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_l">',
  '</saml:Assertion>',
  '</samlp:Response>',
  '&x;',
  '\u0000',
);
const xmlish = fc.array(fc.oneof(fragment, fc.string({ maxLength: 20 })), { maxLength: 8 }).map((parts) => parts.join(''));
const base64Xml = xmlish.map((xml) => Buffer.from(xml).toString('base64'));
const scalar = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null), fc.double());
const ids = fc.oneof(fc.array(fc.oneof(fc.constantFrom('_id', '_r'), fc.string({ maxLength: 8 })), { maxLength: 3 }), scalar);
const queryString = fc
  .record(
    {
      SAMLRequest: fc.oneof(
        base64Xml,
        xmlish.map((xml) => deflateRawSync(xml).toString('base64')),
      ),
      SAMLResponse: base64Xml,
      RelayState: fc.string({ maxLength: 10 }),
      SigAlg: fc.constantFrom('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'x'),
      Signature: fc.base64String({ maxLength: 40 }),
      other: fc.string({ maxLength: 5 }),
    },
    { requiredKeys: [] },
  )
  .map((parameters) => new URLSearchParams(parameters as Record<string, string>).toString());
const realm = fc.oneof(fc.constantFrom('saml1', 'saml2'), scalar);

const body = <T>(fields: { [name: string]: fc.Arbitrary<T> }) =>
  fc.record({ ...fields, other: scalar } as Record<string, fc.Arbitrary<unknown>>, { requiredKeys: [] });

const request = (method: string, path: fc.Arbitrary<string>, json: fc.Arbitrary<unknown> | undefined) =>
  fc.record({ path, contentType, json: json ?? fc.constant(undefined) }).map(
    ({ path, contentType, json }): FuzzRequest => ({
      method,
      path,
      authorization: ELASTIC,
      contentType: json === undefined ? undefined : contentType,
      body: json === undefined ? undefined : JSON.stringify(json),
    }),
  );

describe('fuzzing the SAML APIs', () => {
  fuzzEachGroup(
    'SAML-P-1, SAML-A-1, SAML-L-1, SAML-I-1, SAML-C-1, SAML-M-1: %s answers every request within the contract',
    [
      [
        'saml/prepare',
        request('POST', fc.constant('/_security/saml/prepare'), body({ realm, acs: scalar, relay_state: scalar })),
      ],
      [
        'saml/authenticate',
        request('POST', fc.constant('/_security/saml/authenticate'), body({ content: fc.oneof(base64Xml, scalar), ids, realm })),
      ],
      ['saml/logout', request('POST', fc.constant('/_security/saml/logout'), body({ token: scalar, refresh_token: scalar }))],
      [
        'saml/invalidate',
        request(
          'POST',
          fc.constant('/_security/saml/invalidate'),
          body({ query_string: fc.oneof(queryString, scalar), queryString: scalar, realm, acs: scalar }),
        ),
      ],
      [
        'saml/complete_logout',
        request(
          'POST',
          fc.constant('/_security/saml/complete_logout'),
          body({ realm, ids, query_string: fc.oneof(queryString, scalar), content: fc.oneof(base64Xml, scalar) }),
        ),
      ],
      [
        'saml/metadata',
        request(
          'GET',
          fc
            .oneof(
              fc.constantFrom('saml1', 'saml2', '%zz', 'a%2Fb'),
              fc.string({ minLength: 1, maxLength: 8 }).map(encodeURIComponent),
            )
            .map((name) => `/_security/saml/metadata/${name}`),
          undefined,
        ),
      ],
    ],
    () => api,
    { secrets: SECRETS, runs },
  );
});

/**
 * Responses signed by the IdP's own key (xml-crypto, test/support/saml-messages.ts) whose NameID and principal
 * attribute are hostile: long (up to 20,000 bytes, past the index key's 2,048 and the 16 KiB a pair keeps), empty, any code point, elements where text belongs, two
 * values, and elements nested up to thousands of levels inside the value. Each is a pair or the generic 401.
 */
describe('fuzzing saml/authenticate with signed Responses of hostile names and attributes', () => {
  const REQUEST_ID = '_fedcba9876543210fedcba9876543210fedcba98';
  /** Text as XML carries it: the characters XML 1.0 cannot hold dropped, the markup ones escaped. */
  const xmlText = (value: string) =>
    value
      .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;');
  const text = fc.oneof(
    fc.string({ maxLength: 24 }).map(xmlText),
    fc.string({ maxLength: 240, unit: 'binary' }).map(xmlText),
    fc.integer({ min: 1, max: 20_000 }).map((n) => 'u'.repeat(n)),
  );
  const nested = (depth: number, inner: string) => `${'<x>'.repeat(depth)}${inner}${'</x>'.repeat(depth)}`;
  const content = fc.oneof(
    { weight: 3, arbitrary: text },
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: text.map((t) => `<saml:NameID>${t}</saml:NameID>`) },
    { weight: 1, arbitrary: fc.tuple(text, text).map(([a, b]) => `${a}</saml:AttributeValue><saml:AttributeValue>${b}`) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constantFrom(400, 1_000, 3_000)), text)
        .map(([depth, t]) => nested(depth, t)),
    },
  );

  it(
    'SAML-V-6, SAML-U-1, COMMON-6: any NameID and principal attribute in a signed Response is a pair or the generic 401',
    async () => {
      const { idp } = saml;
      await fc.assert(
        fc.asyncProperty(content, content, async (nameId, uid) => {
          const now = api.clock.time;
          const fields = {
            issuer: idp.entityId,
            destination: SP.acs,
            inResponseTo: REQUEST_ID,
            audience: SP.entityId,
            recipient: SP.acs,
            nameId,
            uid,
            notBefore: new Date(now - 1_000),
            notOnOrAfter: new Date(now + 5 * 60_000),
          };
          const xml = responseXml(fields, sign(assertionXml(fields), 'Assertion', idp.keys));
          const json = { content: recordSamlResponse(base64(xml)), ids: [REQUEST_ID], realm: 'saml1' };
          const r: FuzzRequest = {
            method: 'POST',
            path: '/_security/saml/authenticate',
            authorization: ELASTIC,
            contentType: 'application/json',
            body: JSON.stringify(json),
          };
          await send(api.url, r, SECRETS);
        }),
        // Fewer runs than the other groups: a Response nested thousands deep costs the service about a second.
        { numRuns: Math.min(RUNS, 100) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
