import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { OidcAuthenticationFailure } from '../../../../functions/security/authc/oidc/claims';
import { accessTokenHash, IdTokenValidator, type KeySource } from '../../../../functions/security/authc/oidc/id-token';
import type { OidcRealmConfig } from '../../../../functions/security/authc/oidc/realm-config';

const NOW = 1_800_000_000_000;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const JWK = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256' };

const CONFIG = {
  clientId: 'kibana',
  clientSecret: 'a-client-secret-of-32-characters!!',
  issuer: 'https://op.example.com',
  signatureAlgorithm: 'RS256',
  allowedClockSkewMs: 60_000,
} as OidcRealmConfig;

/** A key source over a fixed JWK set that counts its reloads. */
function keys(): KeySource & { reloads: number } {
  const source = {
    reloads: 0,
    keys: async (header: { kid?: string }) => {
      if (header.kid !== 'k1') throw new Error('no key');
      return publicKey;
    },
    reload: async () => {
      source.reloads++;
    },
  };
  return source as unknown as KeySource & { reloads: number };
}

const seconds = NOW / 1000;
const CLAIMS = { nonce: 'n-1', sub: 'alice' };

function token(
  claims: Record<string, unknown> = {},
  options: { key?: typeof privateKey; kid?: string; aud?: string | string[] } = {},
) {
  const payload = {
    iss: CONFIG.issuer,
    aud: options.aud ?? CONFIG.clientId,
    iat: seconds - 10,
    exp: seconds + 300,
    ...CLAIMS,
    ...claims,
  };
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'k1' }).sign(options.key ?? privateKey);
}

const validator = (source = keys(), config = CONFIG) => new IdTokenValidator(config, source, () => NOW);
const fails = (promise: Promise<unknown>) => expect(promise).rejects.toBeInstanceOf(OidcAuthenticationFailure);

describe('ID token validation (OIDC-V-1..OIDC-V-4, Nimbus IDTokenValidator)', () => {
  it('accepts a token of the configured algorithm, issuer, audience, nonce and time', async () => {
    expect(await validator().validate(await token(), { nonce: 'n-1' })).toMatchObject({ sub: 'alice' });
    expect(JWK.kid).toBe('k1');
  });

  it('OIDC-V-3: wrong audience, wrong issuer, wrong or missing nonce, expired past the skew, issued in the future', async () => {
    await fails(validator().validate(await token({}, { aud: 'someone-else' }), { nonce: 'n-1' }));
    await fails(validator().validate(await token({ iss: 'https://evil.example.com' }), { nonce: 'n-1' }));
    await fails(validator().validate(await token(), { nonce: 'n-2' }));
    await fails(validator().validate(await token({ nonce: undefined }), { nonce: 'n-1' }));
    await fails(validator().validate(await token({ exp: seconds - 61 }), { nonce: 'n-1' }));
    await fails(validator().validate(await token({ iat: seconds + 61 }), { nonce: 'n-1' }));
  });

  it('OIDC-V-4: 60 s of clock skew are allowed', async () => {
    expect(await validator().validate(await token({ exp: seconds - 59 }), { nonce: 'n-1' })).toMatchObject({ sub: 'alice' });
  });

  it('OIDC-V-3: with several audiences an azp, if present, must be the client', async () => {
    const aud = ['kibana', 'other'];
    expect(await validator().validate(await token({}, { aud }), { nonce: 'n-1' })).toBeDefined();
    await fails(validator().validate(await token({ azp: 'other' }, { aud }), { nonce: 'n-1' }));
  });

  it('OIDC-V-1, OIDC-V-2: another key fails after one reload of the keys; an unsigned token fails without', async () => {
    const source = keys();
    await fails(validator(source).validate(await token({}, { key: other.privateKey }), { nonce: 'n-1' }));
    expect(source.reloads).toBe(1);
    const unsigned = new UnsecuredJWT({ ...CLAIMS, iss: CONFIG.issuer, aud: 'kibana', iat: seconds, exp: seconds + 60 }).encode();
    const quiet = keys();
    await fails(validator(quiet).validate(unsigned, { nonce: 'n-1' }));
    expect(quiet.reloads).toBe(0);
  });

  it('OIDC-V-1: an algorithm other than the configured one fails, HS* verifies with the client secret (OIDC-S-5)', async () => {
    const secret = createSecretKey(Buffer.from(CONFIG.clientSecret));
    const hs = await new SignJWT(CLAIMS)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(CONFIG.issuer)
      .setAudience('kibana')
      .setIssuedAt(seconds)
      .setExpirationTime(seconds + 60)
      .sign(secret);
    await fails(validator().validate(hs, { nonce: 'n-1' }));
    const hsConfig = { ...CONFIG, signatureAlgorithm: 'HS256' } as OidcRealmConfig;
    expect(await validator(keys(), hsConfig).validate(hs, { nonce: 'n-1' })).toMatchObject({ sub: 'alice' });
  });

  it('OIDC-A-6: at_hash, when present, must be the access token hash', async () => {
    const atHash = accessTokenHash('the-access-token', 'RS256');
    expect(
      await validator().validate(await token({ at_hash: atHash }), { nonce: 'n-1', accessToken: 'the-access-token' }),
    ).toBeDefined();
    await fails(validator().validate(await token({ at_hash: atHash }), { nonce: 'n-1', accessToken: 'another' }));
  });

  it('OIDC-V-1: an encrypted (JWE) ID token is refused', async () => {
    await fails(validator().validate('a.b.c.d.e', { nonce: 'n-1' }));
  });
});
