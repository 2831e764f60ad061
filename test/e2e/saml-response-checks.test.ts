import { USERS } from '../support/file-realm';
import { captureLog } from '../support/log-capture';
import { esError } from '../support/native-users';
import type { TestIdp } from '../support/saml-idp';
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
 * The checks of Elasticsearch's SamlAuthenticator that this service makes itself (functions/security/authc/saml/
 * response-checks.ts), each held by a Response crafted to fail that check alone: refused with the generic 401,
 * and the log names that check's reason, so that the test fails if the check goes, even where the SAML library
 * would refuse the Response for a reason of its own.
 */

const SP = kibanaSp('response-checks-sp');
const REQUEST_ID = '_89abcdef0123456789abcdef0123456789abcdef';

let realm: SamlRealmApi;
let idp: TestIdp;
let api: TestApi;

beforeAll(async () => {
  realm = await startSamlRealmApi(SP);
  ({ idp, api } = realm);
});
afterAll(() => realm?.close());

function fields(overrides: Partial<ResponseFields> = {}): ResponseFields {
  return responseFields(realm, SP, REQUEST_ID, 'checked', overrides);
}

async function authenticate(xml: string) {
  const content = recordSamlResponse(base64(xml));
  return call(api, 'POST', '/_security/saml/authenticate', {
    auth: USERS.elastic,
    body: { content, ids: [REQUEST_ID], realm: 'saml1' },
  });
}

/** Refused with the generic 401, for `reason`: the line the realm logs names it. */
async function expectRefused(xml: string, reason: string): Promise<void> {
  const log = captureLog();
  const response = await authenticate(xml);
  expect(response.body).toEqual(esError('security_exception', SAML_AUTHENTICATION_FAILED, 401));
  const lines = log.lines();
  expect(lines).toContain('SAML authentication failed');
  expect(lines).toContain(reason);
}

const AUTHN_STATEMENT = /<saml:AuthnStatement[\s\S]*<\/saml:AuthnStatement>/;

/** The assertion of `fields()` with `count` copies of its AuthnStatement. */
function withAuthnStatements(count: number): string {
  return assertionXml(fields()).replace(AUTHN_STATEMENT, (found) => found.repeat(count));
}

describe("the service's own checks of a SAML Response", () => {
  it('SAML-V-3: a signed Response must name this realm as its Destination: without one it is refused', async () => {
    const signed = sign(responseXml(fields({ destination: undefined }), assertionXml(fields())), 'Response', idp.keys);
    await expectRefused(signed, 'SAML response is for another destination than this realm uses');
  });

  it('SAML-V-3: an unsigned Response (its assertion signed) may have no Destination, as in Elasticsearch', async () => {
    const response = responseXml(fields({ destination: undefined }), sign(assertionXml(fields()), 'Assertion', idp.keys));
    expect((await authenticate(response)).body.username).toBe('checked');
  });

  it('SAML-V-5: an assertion with no AuthnStatement is refused', async () => {
    const response = responseXml(fields(), sign(withAuthnStatements(0), 'Assertion', idp.keys));
    await expectRefused(response, 'SAML Assertion subject contains [0] Authn Statements while exactly one was expected.');
  });

  it('SAML-V-5: an assertion with two AuthnStatements is refused', async () => {
    const response = responseXml(fields(), sign(withAuthnStatements(2), 'Assertion', idp.keys));
    await expectRefused(response, 'SAML Assertion subject contains [2] Authn Statements while exactly one was expected.');
    const signedResponse = sign(responseXml(fields(), withAuthnStatements(2)), 'Response', idp.keys);
    await expectRefused(signedResponse, 'SAML Assertion subject contains [2] Authn Statements while exactly one was expected.');
  });

  it('SAML-V-3: a Response in response to an id the caller did not send is refused by the service, its assertion answering one it did', async () => {
    const response = responseXml(
      fields({ inResponseTo: '_not-among-the-ids' }),
      sign(assertionXml(fields()), 'Assertion', idp.keys),
    );
    await expectRefused(response, 'SAML content is in-response-to an unexpected id');
    const signed = sign(
      responseXml(fields({ inResponseTo: '_not-among-the-ids' }), assertionXml(fields())),
      'Response',
      idp.keys,
    );
    await expectRefused(signed, 'SAML content is in-response-to an unexpected id');
  });
});
