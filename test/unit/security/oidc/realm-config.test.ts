import { ConfigurationError } from '../../../../functions/config';
import { readOidcRealms } from '../../../../functions/security/authc/oidc/realm-config';
import { parseSettings } from '../../../../functions/security/authc/realm-settings/settings-yaml';
import { oidcRealmSettings, realmYaml } from '../../../support/realm-settings';

const P = 'xpack.security.authc.realms.oidc.oidc1.';
const SECRET = new Map([[`${P}rp.client_secret`, 'secret']]);

const REQUIRED: Record<string, string> = { ...oidcRealmSettings() };

const read = (settings: Record<string, string>, secure: ReadonlyMap<string, string> = SECRET) =>
  readOidcRealms(parseSettings(realmYaml('oidc', 'oidc1', settings).join('\n')), secure, '/etc/es');

describe('elasticsearch.yml as Elasticsearch reads it (Settings)', () => {
  it('nested and dotted keys are the same settings; lists stay lists; scalars become strings', () => {
    const settings = parseSettings('xpack:\n  security.authc:\n    token.timeout: 20m\na.b: [x, 1]\nc: true\n');
    expect([...settings]).toEqual([
      ['xpack.security.authc.token.timeout', '20m'],
      ['a.b', ['x', '1']],
      ['c', 'true'],
    ]);
  });

  it('a key given twice, in either spelling, refuses the start', () => {
    expect(() => parseSettings('a:\n  b: 1\na.b: 2\n')).toThrow(/duplicate settings key \[a.b\]/);
    expect(() => parseSettings('a: 1\na: 2\n')).toThrow(ConfigurationError);
  });
});

describe('OpenID Connect realm settings (OIDC-S-1..OIDC-S-5, OpenIdConnectRealmSettings)', () => {
  it('OIDC-S-3: the defaults', () => {
    const [realm] = read(REQUIRED);
    expect(realm).toMatchObject({
      name: 'oidc1',
      requestedScopes: ['openid'],
      signatureAlgorithm: 'RS256',
      clientAuthMethod: 'client_secret_basic',
      allowedClockSkewMs: 60_000,
      populateUserMetadata: true,
      httpTimeoutMs: 5_000,
      jwkSet: { url: 'https://op.example.com/jwks' },
    });
  });

  it.each(['rp.client_id', 'rp.redirect_uri', 'rp.response_type', 'op.issuer', 'op.authorization_endpoint', 'op.jwkset_path'])(
    'OIDC-S-1: [%s] is required',
    (setting) => {
      const { [setting]: _, ...rest } = REQUIRED;
      expect(() => read(rest)).toThrow(new ConfigurationError(`The configuration setting [${P}${setting}] is required`));
    },
  );

  it('OIDC-S-1: the secure rp.client_secret, op.token_endpoint for the code flow and claims.principal are required', () => {
    expect(() => read(REQUIRED, new Map())).toThrow(`The configuration setting [${P}rp.client_secret] is required`);
    const { 'op.token_endpoint': _, ...noToken } = REQUIRED;
    expect(() => read(noToken)).toThrow(
      `The configuration setting [${P}op.token_endpoint] is required when [${P}rp.response_type] is set to "code"`,
    );
    const { 'claims.principal': __, ...noPrincipal } = REQUIRED;
    expect(() => read(noPrincipal)).toThrow(`Setting [${P}claims.principal] is required`);
  });

  it('OIDC-S-2: URIs must parse, the response type and algorithms must be known', () => {
    expect(() => read({ ...REQUIRED, 'op.userinfo_endpoint': 'not a uri' })).toThrow(
      `Invalid value [not a uri] for [${P}op.userinfo_endpoint]. Not a valid URI.`,
    );
    expect(() => read({ ...REQUIRED, 'rp.response_type': 'token' })).toThrow(
      `Invalid value [token] for [${P}rp.response_type]. Allowed values are [code, id_token, id_token token]`,
    );
    expect(() => read({ ...REQUIRED, 'rp.signature_algorithm': 'none' })).toThrow(/rp.signature_algorithm\]. Allowed values/);
  });

  it('OIDC-S-3: a claim pattern needs its claim; openid is always requested', () => {
    expect(() => read({ ...REQUIRED, 'claim_patterns.groups': '^(.*)$' })).toThrow(
      `Setting [${P}claim_patterns.groups] cannot be set unless [${P}claims.groups] is also set`,
    );
    const [realm] = read({ ...REQUIRED, 'rp.requested_scopes': 'email, profile' });
    expect(realm?.requestedScopes).toEqual(['openid', 'email', 'profile']);
  });

  it('OIDC-S-4: an http JWK set is refused; a file is read from the config directory', () => {
    expect(() => read({ ...REQUIRED, 'op.jwkset_path': 'http://op.example.com/jwks' })).toThrow(
      'The [http] protocol is not supported as it is insecure. Use [https] instead',
    );
    expect(read({ ...REQUIRED, 'op.jwkset_path': 'op-jwks.json' })[0]?.jwkSet).toEqual({ file: '/etc/es/op-jwks.json' });
  });
});
