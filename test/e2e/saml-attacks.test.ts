import { pairCount, testClients } from '../support/dynamodb';
import { USERS } from '../support/file-realm';
import { captureLog } from '../support/log-capture';
import { esError } from '../support/native-users';
import { keyPair, type TestIdp } from '../support/saml-idp';
import { assertionXml, base64, type ResponseFields, recordSamlResponse, responseXml, sign } from '../support/saml-messages';
import {
  kibanaSp,
  responseFields,
  SAML_AUTHENTICATION_FAILED,
  type SamlRealmApi,
  startSamlRealmApi,
} from '../support/saml-realm-api';
import { call, type TestApi } from '../support/test-api';

/**
 * Crafted Responses, signed with xml-crypto by the IdP's own key (the one in its metadata) unless said otherwise:
 * each attack is refused with Elasticsearch's 401 for a failed SSO authentication, and nothing of the message is
 * logged. A well-formed crafted Response is accepted first, so each refusal is the attack's doing.
 */

const SP = kibanaSp('attacks-sp');
const REQUEST_ID = '_0123456789abcdef0123456789abcdef01234567';
const FAILED = SAML_AUTHENTICATION_FAILED;

let realm: SamlRealmApi;
let idp: TestIdp;
let api: TestApi;

beforeAll(async () => {
  realm = await startSamlRealmApi(SP);
  ({ idp, api } = realm);
});
afterAll(() => realm?.close());

function fields(overrides: Partial<ResponseFields> = {}): ResponseFields {
  return responseFields(realm, SP, REQUEST_ID, 'victim', overrides);
}

/** A Response whose assertion is signed by `keys` (the IdP's by default). */
function signedAssertionResponse(f: ResponseFields = fields(), keys = idp.keys): string {
  return responseXml(f, sign(assertionXml(f), 'Assertion', keys));
}

async function authenticate(xml: string, ids: readonly string[] = [REQUEST_ID]) {
  const content = recordSamlResponse(base64(xml));
  return call(api, 'POST', '/_security/saml/authenticate', { auth: USERS.elastic, body: { content, ids, realm: 'saml1' } });
}

/** Refused with the generic 401, and no line of the log carries the message or its NameID. */
async function expectRefused(xml: string, ids?: readonly string[]): Promise<void> {
  const log = captureLog();
  const response = await authenticate(xml, ids);
  expect(response.body).toEqual(esError('security_exception', FAILED, 401));
  const lines = log.lines();
  expect(lines).toContain('SAML authentication failed');
  for (const part of [base64(xml).slice(0, 40), 'victim-nameid', 'attacker', '<saml']) expect(lines).not.toContain(part);
}

describe('SAML Responses crafted with xml-crypto', () => {
  it('SAML-V-2, SAML-V-5: a well-formed Response with a signed assertion, or a signed Response, is accepted', async () => {
    expect((await authenticate(signedAssertionResponse())).body.username).toBe('victim');
    const signedResponse = sign(responseXml(fields(), assertionXml(fields())), 'Response', idp.keys);
    expect((await authenticate(signedResponse)).body.username).toBe('victim');
  });

  it('SAML-V-2: an unsigned Response is refused', async () => {
    await expectRefused(responseXml(fields(), assertionXml(fields())));
  });

  it('SAML-V-2: a Response signed by a key that is not in the IdP metadata is refused', async () => {
    const other = keyPair('not-the-idp');
    await expectRefused(signedAssertionResponse(fields(), other));
    await expectRefused(sign(responseXml(fields(), assertionXml(fields())), 'Response', other));
  });

  it('SAML-V-2: a signed Response whose own signature does not verify is refused, even with a signed assertion', async () => {
    const signed = sign(signedAssertionResponse(), 'Response', idp.keys);
    await expectRefused(signed.replace(`Destination="${SP.acs}"`, `Destination="${SP.acs}" Consent="urn:x"`));
  });

  it('SAML-V-4 (signature wrapping): a signed assertion moved beside an unsigned one is refused', async () => {
    const signed = sign(assertionXml(fields()), 'Assertion', idp.keys);
    const forged = assertionXml(fields({ uid: 'attacker', nameId: 'attacker' }));
    await expectRefused(responseXml(fields(), forged + signed));
    await expectRefused(responseXml(fields(), signed + forged));
  });

  it('SAML-V-2, SAML-V-4 (signature wrapping): a signed Response with an injected assertion is refused', async () => {
    const signed = sign(responseXml(fields(), assertionXml(fields())), 'Response', idp.keys);
    const forged = assertionXml(fields({ uid: 'attacker', nameId: 'attacker' }));
    // Beside the signed one, and in its place (the signature's reference still names the Response's ID).
    await expectRefused(signed.replace('</samlp:Response>', `${forged}</samlp:Response>`));
    await expectRefused(signed.replace(/<saml:Assertion[\s\S]*<\/saml:Assertion>/, forged));
  });

  it('SAML-V-2 (signature wrapping): the signed assertion hidden in an extension, an unsigned one in its place, is refused', async () => {
    const signed = sign(assertionXml(fields()), 'Assertion', idp.keys);
    const forged = assertionXml(fields({ uid: 'attacker', nameId: 'attacker' }));
    await expectRefused(responseXml(fields(), `<samlp:Extensions>${signed}</samlp:Extensions>${forged}`));
  });

  it('SAML-V-1: a comment inside the NameID (text hidden from one reader) is refused', async () => {
    const signed = sign(assertionXml(fields({ nameId: 'victim-nameid.attacker.example' })), 'Assertion', idp.keys);
    await expectRefused(responseXml(fields(), signed.replace('victim-nameid.attacker', 'victim-nameid<!---->.attacker')));
  });

  it('SAML-V-1: XXE and entity expansion (any DOCTYPE) are refused before anything is read', async () => {
    const response = signedAssertionResponse();
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${response.replace('victim-nameid', '&x;')}`;
    await expectRefused(xxe);
    const laughs = Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
    await expectRefused(`<!DOCTYPE r [<!ENTITY l0 "lol">${laughs}]>${response.replace('victim-nameid', '&l9;')}`);
  });

  it('SAML-V-3, SAML-V-7: a replayed Response is refused once its id is no longer among the ids the caller sends', async () => {
    const response = signedAssertionResponse();
    expect((await authenticate(response, [REQUEST_ID])).status).toBe(200);
    // The caller drops an id once it was answered, as Kibana does: the same Response then answers nothing.
    await expectRefused(response, []);
    await expectRefused(response, ['_another-outstanding-request']);
  });

  it('SAML-A-4: a Response replayed with the same ids is the generic 401 and creates no pair, until its assertion expires', async () => {
    const { documents } = testClients();
    const response = signedAssertionResponse();
    const signedResponse = sign(responseXml(fields(), assertionXml(fields())), 'Response', idp.keys);
    for (const xml of [response, signedResponse]) {
      expect((await authenticate(xml)).status).toBe(200);
      const pairs = await pairCount(documents, api.tokensTable);
      await expectRefused(xml);
      await expectRefused(xml);
      expect(await pairCount(documents, api.tokensTable)).toBe(pairs);
    }
    // Past its NotOnOrAfter and the allowed clock skew, the assertion is refused by its time checks, not as a replay.
    api.clock.advance(10 * 60_000);
    try {
      await expectRefused(response);
    } finally {
      api.clock.advance(-10 * 60_000);
    }
  });

  it('SAML-A-4: the assertion is what is used once: a new Response around an assertion whose ID was used is refused', async () => {
    const assertionId = '_used-once-0123456789abcdef0123456789abcdef';
    const first = responseXml(fields(), sign(assertionXml(fields(), assertionId), 'Assertion', idp.keys));
    expect((await authenticate(first)).status).toBe(200);
    // Another Response id, another session, the same assertion ID, signed again by the IdP's key.
    const again = responseXml(
      fields({ sessionIndex: '_another' }),
      sign(assertionXml(fields(), assertionId), 'Assertion', idp.keys),
    );
    await expectRefused(again);
  });

  it('SAML-V-3, SAML-V-5: an unsolicited Response (no InResponseTo) is accepted with an empty ids, as Elasticsearch', async () => {
    const unsolicited = fields({ inResponseTo: undefined });
    expect((await authenticate(signedAssertionResponse(unsolicited), [])).status).toBe(200);
  });

  it('SAML-V-5: a Response for another SP (audience), another ACS (recipient) or another destination is refused', async () => {
    await expectRefused(signedAssertionResponse(fields({ audience: 'https://other-sp.example.com/' })));
    await expectRefused(signedAssertionResponse(fields({ recipient: 'https://other-sp.example.com/acs' })));
    await expectRefused(signedAssertionResponse(fields({ destination: 'https://other-sp.example.com/acs' })));
  });

  it('SAML-V-3, SAML-V-5: a Response or assertion of another issuer is refused', async () => {
    await expectRefused(signedAssertionResponse(fields({ issuer: 'https://evil-idp.example.com/' })));
  });

  it('SAML-V-5, SAML-V-8: an expired assertion is refused past the 3 minute skew, accepted within it', async () => {
    const now = api.clock.time;
    const expired = fields({ notBefore: new Date(now - 10 * 60_000), notOnOrAfter: new Date(now - 3 * 60_000 - 1_000) });
    await expectRefused(signedAssertionResponse(expired));
    const inSkew = fields({ notBefore: new Date(now - 10 * 60_000), notOnOrAfter: new Date(now - 60_000) });
    expect((await authenticate(signedAssertionResponse(inSkew))).status).toBe(200);
    const future = fields({ notBefore: new Date(now + 4 * 60_000), notOnOrAfter: new Date(now + 10 * 60_000) });
    await expectRefused(signedAssertionResponse(future));
  });

  it('SAML-V-4: a Response without an assertion is refused', async () => {
    await expectRefused(sign(responseXml(fields(), ''), 'Response', idp.keys));
  });
});
