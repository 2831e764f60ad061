import { mergeClaims, OidcAuthenticationFailure, userFromClaims } from '../../../../functions/security/authc/oidc/claims';
import type { OidcRealmConfig } from '../../../../functions/security/authc/oidc/realm-config';

const config = (claims: OidcRealmConfig['claims'], populateUserMetadata = true) =>
  ({ claims, populateUserMetadata }) as OidcRealmConfig;

describe('users from OpenID Connect claims (OIDC-U-1..OIDC-U-4, ClaimParser)', () => {
  it('OIDC-U-1, OIDC-U-3: principal, groups, name, mail and dn from their claims', () => {
    const user = userFromClaims(
      config({
        principal: { claim: 'sub' },
        groups: { claim: 'groups' },
        name: { claim: 'name' },
        mail: { claim: 'email' },
        dn: { claim: 'dn' },
      }),
      { sub: 'alice', groups: ['a', 'b'], name: 'Alice', email: ['a@x', 'b@x'], dn: 'cn=alice' },
    );
    expect(user).toMatchObject({ principal: 'alice', groups: ['a', 'b'], name: 'Alice', mail: 'a@x', dn: 'cn=alice' });
  });

  it('OIDC-U-2: with a pattern, group 1 of the values that match; a claim of another type fails', () => {
    const user = userFromClaims(config({ principal: { claim: 'email', pattern: /^([^@]+)@example\.com$/ } }), {
      email: 'bob@example.com',
    });
    expect(user.principal).toBe('bob');
    expect(() => userFromClaims(config({ principal: { claim: 'sub' } }), { sub: 42 })).toThrow(OidcAuthenticationFailure);
    // Elasticsearch's shared ClaimParser: every element a string, a null included in what it refuses.
    expect(() => userFromClaims(config({ principal: { claim: 'sub' } }), { sub: ['alice', null] })).toThrow(
      OidcAuthenticationFailure,
    );
    expect(() => userFromClaims(config({ principal: { claim: 'email', pattern: /^(.+)@corp$/ } }), { email: 'x@y' })).toThrow(
      OidcAuthenticationFailure,
    );
  });

  it('OIDC-U-4: metadata oidc(<claim>) for string, boolean and number claims only, unless disabled', () => {
    const claims = { sub: 'alice', email_verified: true, auth_time: 5, groups: ['a'], address: { x: 1 } };
    expect(userFromClaims(config({ principal: { claim: 'sub' } }), claims).metadata).toEqual({
      'oidc(sub)': 'alice',
      'oidc(email_verified)': true,
      'oidc(auth_time)': 5,
    });
    expect(userFromClaims(config({ principal: { claim: 'sub' } }, false), claims).metadata).toEqual({});
  });
});

describe('userinfo merged into the ID token claims (OIDC-A-7, mergeObjects)', () => {
  it('ID token scalars win, objects merge, arrays concatenate, a scalar joins an array, true beside "true"', () => {
    expect(
      mergeClaims(
        { sub: 'a', name: 'ID', groups: ['x'], address: { city: 'A' }, flag: true },
        { sub: 'a', name: 'UI', groups: 'y', address: { zip: '1' }, email: 'e', flag: 'true' },
      ),
    ).toEqual({ sub: 'a', name: 'ID', groups: ['x', 'y'], address: { city: 'A', zip: '1' }, flag: true, email: 'e' });
  });

  it('other type clashes fail', () => {
    expect(() => mergeClaims({ a: 'x' }, { a: { b: 1 } })).toThrow(OidcAuthenticationFailure);
  });
});
