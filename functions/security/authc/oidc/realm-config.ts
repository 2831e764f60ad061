import { isAbsolute, join } from 'node:path';
import { ConfigurationError } from '../../../config';
import { type RealmSettings, readRealms, realmSettings } from '../realm-settings/realm-settings';
import type { Settings } from '../realm-settings/settings-file';

/**
 * The settings of one OpenID Connect realm, `xpack.security.authc.realms.oidc.<name>.*`, read and checked
 * as Elasticsearch's `OpenIdConnectRealmSettings` does (OIDC-S-1..OIDC-S-5), with its messages.
 */

const SIGNATURE_ALGORITHMS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
] as const;
const RESPONSE_TYPES = ['code', 'id_token', 'id_token token'];
const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'] as const;
const CLAIMS = ['principal', 'groups', 'name', 'mail', 'dn'] as const;

type ClaimName = (typeof CLAIMS)[number];
type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

interface ClaimSetting {
  readonly claim: string;
  /** `claim_patterns.*`: the first capture group is the value. */
  readonly pattern?: RegExp;
}

export interface OidcRealmConfig {
  readonly name: string;
  readonly order: number;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly postLogoutRedirectUri?: string;
  readonly responseType: string;
  readonly requestedScopes: readonly string[];
  readonly signatureAlgorithm: (typeof SIGNATURE_ALGORITHMS)[number];
  readonly clientAuthMethod: ClientAuthMethod;
  readonly clientAuthJwtAlgorithm: 'HS256' | 'HS384' | 'HS512';
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint?: string;
  readonly userinfoEndpoint?: string;
  readonly endSessionEndpoint?: string;
  /** An `https://` URL, or a file resolved against the config directory. */
  readonly jwkSet: { readonly url: string } | { readonly file: string };
  readonly claims: Readonly<Partial<Record<ClaimName, ClaimSetting>>>;
  readonly allowedClockSkewMs: number;
  readonly populateUserMetadata: boolean;
  /** `http.connect_timeout` and `http.socket_timeout`, the larger bounding each call to the provider. */
  readonly httpTimeoutMs: number;
}

function claimSettings(s: RealmSettings): Partial<Record<ClaimName, ClaimSetting>> {
  const claims: Partial<Record<ClaimName, ClaimSetting>> = {};
  for (const name of CLAIMS) {
    const claim = s.string(`claims.${name}`);
    const pattern = s.string(`claim_patterns.${name}`);
    if (pattern !== undefined && claim === undefined) {
      throw new ConfigurationError(
        `Setting [${s.key(`claim_patterns.${name}`)}] cannot be set unless [${s.key(`claims.${name}`)}] is also set`,
      );
    }
    if (claim === undefined) continue;
    let compiled: RegExp | undefined;
    try {
      compiled = pattern === undefined ? undefined : new RegExp(pattern);
    } catch {
      throw new ConfigurationError(
        `Invalid value [${pattern}] for [${s.key(`claim_patterns.${name}`)}]. Not a valid regular expression.`,
      );
    }
    claims[name] = compiled === undefined ? { claim } : { claim, pattern: compiled };
  }
  if (claims.principal === undefined) throw new ConfigurationError(`Setting [${s.key('claims.principal')}] is required`);
  return claims;
}

function jwkSet(s: RealmSettings, configDirectory: string): OidcRealmConfig['jwkSet'] {
  const path = s.required('op.jwkset_path');
  if (path.startsWith('https://')) return { url: path };
  if (path.startsWith('http://')) {
    throw new ConfigurationError('The [http] protocol is not supported as it is insecure. Use [https] instead');
  }
  return { file: isAbsolute(path) ? path : join(configDirectory, path) };
}

function scopes(s: RealmSettings): string[] {
  const raw = s.raw('rp.requested_scopes');
  const list = raw === undefined ? [] : Array.isArray(raw) ? [...raw] : (raw as string).split(',').map((v) => v.trim());
  return list.includes('openid') ? list : ['openid', ...list];
}

/** One realm's settings; every error names its full setting key, as Elasticsearch's do. */
function readOidcRealm(
  name: string,
  settings: Settings,
  secure: ReadonlyMap<string, string>,
  configDirectory: string,
): OidcRealmConfig {
  const s = realmSettings('oidc', name, settings, secure);
  const responseType = s.oneOf('rp.response_type', RESPONSE_TYPES, s.required('rp.response_type'));
  if (responseType !== 'code') {
    // A choice of this service, said in docs/differences.md: the implicit flows put tokens in the browser's URL.
    throw new ConfigurationError(
      `Invalid value [${responseType}] for [${s.key('rp.response_type')}]. This service supports [code] only`,
    );
  }
  const tokenEndpoint = s.uri('op.token_endpoint', s.string('op.token_endpoint'));
  if (tokenEndpoint === undefined) {
    throw new ConfigurationError(
      `The configuration setting [${s.key('op.token_endpoint')}] is required when [${s.key('rp.response_type')}] is set to "code"`,
    );
  }
  return {
    name,
    order: s.order(),
    clientId: s.required('rp.client_id'),
    clientSecret: s.secureRequired('rp.client_secret'),
    redirectUri: s.uri('rp.redirect_uri', s.required('rp.redirect_uri')) as string,
    postLogoutRedirectUri: s.uri('rp.post_logout_redirect_uri', s.string('rp.post_logout_redirect_uri')),
    responseType,
    requestedScopes: scopes(s),
    signatureAlgorithm: s.oneOf('rp.signature_algorithm', SIGNATURE_ALGORITHMS, 'RS256'),
    clientAuthMethod: s.oneOf('rp.client_auth_method', CLIENT_AUTH_METHODS, 'client_secret_basic'),
    clientAuthJwtAlgorithm: s.oneOf('rp.client_auth_jwt_signature_algorithm', ['HS256', 'HS384', 'HS512'] as const, 'HS384'),
    issuer: s.required('op.issuer'),
    authorizationEndpoint: s.uri('op.authorization_endpoint', s.required('op.authorization_endpoint')) as string,
    tokenEndpoint,
    userinfoEndpoint: s.uri('op.userinfo_endpoint', s.string('op.userinfo_endpoint')),
    endSessionEndpoint: s.uri('op.endsession_endpoint', s.string('op.endsession_endpoint')),
    jwkSet: jwkSet(s, configDirectory),
    claims: claimSettings(s),
    allowedClockSkewMs: s.time('allowed_clock_skew', '60s'),
    populateUserMetadata: s.boolean('populate_user_metadata', true),
    httpTimeoutMs: Math.max(s.time('http.connect_timeout', '5s'), s.time('http.socket_timeout', '5s')),
  };
}

/** Every OpenID Connect realm of the settings, in realm order; a realm with `enabled: false` is left out. */
export function readOidcRealms(
  settings: Settings,
  secure: ReadonlyMap<string, string>,
  configDirectory: string,
): OidcRealmConfig[] {
  return readRealms('oidc', settings, (name) => readOidcRealm(name, settings, secure, configDirectory));
}
