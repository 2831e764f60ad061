import type { SamlRealmConfig } from '../../../../functions/security/authc/saml/realm-config';
import { type CheckContext, checkAssertion, checkResponse } from '../../../../functions/security/authc/saml/response-checks';
import { parseXml, SamlAuthenticationFailure } from '../../../../functions/security/authc/saml/xml';
import { assertionXml, type ResponseFields, responseXml } from '../../../support/saml-messages';

/**
 * The service's own checks of a Response and its assertion (SAML-V-3, SAML-V-5), on parsed XML: each holds
 * whatever the SAML library checks or stops checking.
 */

const IDP = 'https://idp.example.com/';
const ACS = 'https://sp.example.com/acs';
const NOW = Date.parse('2026-06-01T12:00:00Z');
const context: CheckContext = {
  config: {
    idp: { entityId: IDP },
    acs: ACS,
    spEntityId: 'https://sp.example.com/',
    allowedClockSkewMs: 180_000,
    authnContextClassRefs: [],
  } as unknown as SamlRealmConfig,
  ids: ['_request'],
  now: NOW,
};
const fields = (overrides: Partial<ResponseFields> = {}): ResponseFields => ({
  issuer: IDP,
  destination: ACS,
  inResponseTo: '_request',
  audience: 'https://sp.example.com/',
  recipient: ACS,
  nameId: 'n',
  uid: 'u',
  notBefore: new Date(NOW - 1_000),
  notOnOrAfter: new Date(NOW + 60_000),
  ...overrides,
});
const element = (xml: string) => parseXml(xml).documentElement as Element;
const response = (f: ResponseFields) => element(responseXml(f, ''));
const failure = (check: () => void) => {
  try {
    check();
  } catch (error) {
    return error instanceof SamlAuthenticationFailure ? error.message : `not a SamlAuthenticationFailure: ${error}`;
  }
  return 'accepted';
};

describe('checkResponse (SAML-V-3)', () => {
  it('SAML-V-3: a Response whose InResponseTo is not among the ids is refused; without InResponseTo it is not', () => {
    expect(failure(() => checkResponse(response(fields({ inResponseTo: '_other' })), true, context))).toBe(
      'SAML content is in-response-to an unexpected id',
    );
    expect(failure(() => checkResponse(response(fields({ inResponseTo: '_other' })), false, context))).toBe(
      'SAML content is in-response-to an unexpected id',
    );
    expect(failure(() => checkResponse(response(fields({ inResponseTo: undefined })), true, context))).toBe('accepted');
    expect(failure(() => checkResponse(response(fields()), true, context))).toBe('accepted');
  });

  it('SAML-V-3: a signed Response needs this ACS as its Destination; an unsigned one only when it names one', () => {
    const wrong = 'SAML response is for another destination than this realm uses';
    expect(failure(() => checkResponse(response(fields({ destination: undefined })), true, context))).toBe(wrong);
    expect(failure(() => checkResponse(response(fields({ destination: undefined })), false, context))).toBe('accepted');
    expect(failure(() => checkResponse(response(fields({ destination: 'https://other/acs' })), false, context))).toBe(wrong);
  });
});

describe('checkAssertion (SAML-V-5)', () => {
  const statement = /<saml:AuthnStatement[\s\S]*<\/saml:AuthnStatement>/;
  const withStatements = (count: number) => {
    return element(assertionXml(fields()).replace(statement, (found) => found.repeat(count)));
  };

  it('SAML-V-5: exactly one AuthnStatement', () => {
    expect(failure(() => checkAssertion(withStatements(1), context))).toBe('accepted');
    expect(failure(() => checkAssertion(withStatements(0), context))).toBe(
      'SAML Assertion subject contains [0] Authn Statements while exactly one was expected.',
    );
    expect(failure(() => checkAssertion(withStatements(2), context))).toBe(
      'SAML Assertion subject contains [2] Authn Statements while exactly one was expected.',
    );
  });
});
