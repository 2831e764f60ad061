import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  errors as joseErrors,
  jwtVerify,
} from 'jose';
import type { Clock } from '../../../clock';
import { assertClaimsDepth, type Claims, OidcAuthenticationFailure } from './claims';
import type { OidcRealmConfig } from './realm-config';

/**
 * ID token validation as Elasticsearch's (Nimbus `IDTokenValidator`, OIDC-V-1..OIDC-V-6): exactly the
 * configured algorithm, a key of the provider's JWK set (the client secret for HS*), issuer, audience,
 * `azp`, expiry and issue time within the allowed skew, the nonce of the caller, and `at_hash`.
 */

/** The provider's keys, cached for the process and loaded again once when a token's key is not among them (OIDC-V-2). */
export interface KeySource {
  readonly keys: JWTVerifyGetKey;
  reload(): Promise<void>;
}

export function fileKeySource(path: string): KeySource {
  let loaded: Promise<JWTVerifyGetKey> | undefined;
  const load = () => {
    loaded = readFile(path, 'utf8').then((text) => createLocalJWKSet(JSON.parse(text) as JSONWebKeySet));
    return loaded;
  };
  return {
    keys: async (header, token) => (await (loaded ?? load()))(header, token),
    reload: async () => {
      await load();
    },
  };
}

export function remoteKeySource(url: string, timeoutMs: number): KeySource {
  const remote = createRemoteJWKSet(new URL(url), { timeoutDuration: timeoutMs });
  return { keys: remote, reload: () => remote.reload() };
}

const HASHES: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };

/** `at_hash`: the left half of the access token's digest by the JWS algorithm's hash, base64url. */
export function accessTokenHash(accessToken: string, algorithm: string): string {
  const digest = createHash(HASHES[algorithm.slice(-3)] ?? 'sha256')
    .update(accessToken, 'ascii')
    .digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

function isKeyFailure(error: unknown): boolean {
  return error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWSSignatureVerificationFailed;
}

export interface IdTokenCheck {
  readonly nonce: string;
  readonly accessToken?: string;
}

export class IdTokenValidator {
  constructor(
    private readonly config: OidcRealmConfig,
    private readonly keys: KeySource,
    private readonly clock: Clock,
  ) {}

  private async verify(idToken: string): Promise<JWTPayload> {
    const { config } = this;
    const key = config.signatureAlgorithm.startsWith('HS') ? new TextEncoder().encode(config.clientSecret) : this.keys.keys;
    const options = {
      algorithms: [config.signatureAlgorithm],
      issuer: config.issuer,
      audience: config.clientId,
      clockTolerance: config.allowedClockSkewMs / 1000,
      currentDate: new Date(this.clock()),
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
    };
    try {
      return (await jwtVerify(idToken, key as JWTVerifyGetKey, options)).payload;
    } catch (error) {
      if (config.signatureAlgorithm.startsWith('HS') || !isKeyFailure(error)) throw error;
      await this.keys.reload();
      return (await jwtVerify(idToken, this.keys.keys, options)).payload;
    }
  }

  /** The claims of a valid ID token; anything else is an OidcAuthenticationFailure (the 401 of OIDC-V-5). */
  async validate(idToken: string, check: IdTokenCheck): Promise<JWTPayload> {
    if (idToken.split('.').length === 5) throw new OidcAuthenticationFailure('Decryption of JWTs not configured');
    let claims: JWTPayload;
    try {
      claims = await this.verify(idToken);
    } catch (error) {
      throw new OidcAuthenticationFailure(`Failed to parse or validate the ID Token (${(error as Error).name})`);
    }
    assertClaimsDepth(claims as Claims, 'ID Token');
    // OpenID Connect Core §2, RFC 7519 §4.1.2: a string. Nimbus refuses any other type ("Illegal sub claim").
    if (typeof claims.sub !== 'string') throw new OidcAuthenticationFailure('Illegal sub claim');
    const now = this.clock() / 1000;
    const skew = this.config.allowedClockSkewMs / 1000;
    if (typeof claims.iat !== 'number' || claims.iat > now + skew)
      throw new OidcAuthenticationFailure('JWT issue time ahead of current time');
    if (Array.isArray(claims.aud) && claims.aud.length > 1 && claims.azp !== undefined && claims.azp !== this.config.clientId) {
      throw new OidcAuthenticationFailure('Unexpected JWT authorized party (azp) claim');
    }
    if (claims.nonce === undefined) throw new OidcAuthenticationFailure('Missing JWT nonce (nonce) claim');
    if (claims.nonce !== check.nonce) throw new OidcAuthenticationFailure('Unexpected JWT nonce (nonce) claim');
    if (check.accessToken !== undefined && claims.at_hash !== undefined) {
      if (claims.at_hash !== accessTokenHash(check.accessToken, this.config.signatureAlgorithm)) {
        throw new OidcAuthenticationFailure('Failed to verify access token');
      }
    }
    return claims;
  }
}
