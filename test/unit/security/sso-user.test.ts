import {
  keptOfSsoUser,
  SSO_FIELD_MAX_BYTES,
  SSO_METADATA_MAX_BYTES,
  SSO_PRINCIPAL_MAX_BYTES,
  SSO_TOKEN_METADATA_MAX_BYTES,
  type SsoUser,
  tokenMetadataFits,
} from '../../../functions/security/authc/sso-user';

const user = (overrides: Partial<SsoUser>): SsoUser => ({
  principal: 'carol',
  groups: [],
  name: 'Carol',
  mail: 'carol@example.com',
  metadata: {},
  ...overrides,
});

describe('what a token pair keeps of a single sign-on user (COMMON-9)', () => {
  it('COMMON-9: keeps metadata entries in the order received while the JSON stays within the bound', () => {
    const big = 'b'.repeat(SSO_METADATA_MAX_BYTES / 2);
    const metadata = { 'oidc(sub)': 'carol', 'oidc(a)': big, 'oidc(b)': big, 'oidc(c)': 'small' };
    const kept = keptOfSsoUser(user({ metadata }));
    expect(kept?.user.metadata).toEqual({ 'oidc(sub)': 'carol', 'oidc(a)': big, 'oidc(c)': 'small' });
    expect(kept?.leftOut).toEqual(['metadata.oidc(b)']);
    expect(Buffer.byteLength(JSON.stringify(kept?.user.metadata))).toBeLessThanOrEqual(SSO_METADATA_MAX_BYTES);
  });

  it('COMMON-9: leaves out a metadata entry holding a number the store cannot keep exactly', () => {
    const metadata = { 'oidc(sub)': 'carol', 'oidc(big)': 2 ** 53, 'oidc(tiny)': [1e-200], 'oidc(n)': 7 };
    const kept = keptOfSsoUser(user({ metadata }));
    expect(kept?.user.metadata).toEqual({ 'oidc(sub)': 'carol', 'oidc(n)': 7 });
    expect(kept?.leftOut).toEqual(['metadata.oidc(big)', 'metadata.oidc(tiny)']);
  });

  it('COMMON-9: leaves out a full name or email over the bound, and keeps the principal up to its bound', () => {
    const principal = 'p'.repeat(SSO_PRINCIPAL_MAX_BYTES);
    const kept = keptOfSsoUser(user({ principal, name: 'n'.repeat(SSO_FIELD_MAX_BYTES + 1) }));
    expect(kept?.user).toMatchObject({ principal, name: null, mail: 'carol@example.com' });
    expect(kept?.leftOut).toEqual(['full_name']);
  });

  it('COMMON-9: refuses a principal, or token metadata, too long to keep (counted in UTF-8 bytes)', () => {
    expect(keptOfSsoUser(user({ principal: 'é'.repeat(SSO_PRINCIPAL_MAX_BYTES / 2 + 1) }))).toBeUndefined();
    expect(tokenMetadataFits({ nameId: 'n'.repeat(SSO_TOKEN_METADATA_MAX_BYTES) })).toBe(false);
    expect(tokenMetadataFits({ nameId: 'carol' })).toBe(true);
    expect(tokenMetadataFits(undefined)).toBe(true);
  });
});
