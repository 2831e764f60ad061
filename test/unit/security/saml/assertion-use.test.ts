import { assertionUseOf } from '../../../../functions/security/authc/saml/assertion-use';
import type { SamlRealmConfig } from '../../../../functions/security/authc/saml/realm-config';
import { parseXml } from '../../../../functions/security/authc/saml/xml';
import { assertionXml, type ResponseFields } from '../../../support/saml-messages';

const IDP = 'https://idp.example.com/';
const NOW = Date.parse('2026-06-01T12:00:00Z');
const config = { allowedClockSkewMs: 180_000 } as unknown as SamlRealmConfig;
const fields: ResponseFields = {
  issuer: IDP,
  inResponseTo: '_request',
  audience: 'https://sp.example.com/',
  recipient: 'https://sp.example.com/acs',
  nameId: 'someone',
  uid: 'someone',
  notBefore: new Date(NOW - 1_000),
  notOnOrAfter: new Date(NOW + 5 * 60_000),
};
const assertion = (xml: string) => parseXml(xml).documentElement as Element;

describe('SAML-A-4: how long an accepted assertion is kept as used', () => {
  it('SAML-A-4: by its issuer and ID, until its NotOnOrAfter plus the allowed clock skew', () => {
    expect(assertionUseOf(config, assertion(assertionXml(fields, '_the-id')))).toEqual({
      issuer: IDP,
      id: '_the-id',
      keepUntil: NOW + 5 * 60_000 + 180_000,
    });
  });

  it('SAML-A-4: until the earliest of its bearer SubjectConfirmationData and Conditions NotOnOrAfter', () => {
    const xml = assertionXml(fields).replace(
      /(<saml:Conditions NotBefore="[^"]+" NotOnOrAfter=")[^"]+"/,
      `$1${new Date(NOW + 60_000).toISOString()}"`,
    );
    expect(assertionUseOf(config, assertion(xml)).keepUntil).toBe(NOW + 60_000 + 180_000);
  });

  it('SAML-A-4: with no NotOnOrAfter at all, no end of its own (the service then keeps it as long as a pair lives)', () => {
    const xml = assertionXml(fields).replace(/ NotOnOrAfter="[^"]+"/g, '');
    expect(assertionUseOf(config, assertion(xml)).keepUntil).toBeUndefined();
  });
});
