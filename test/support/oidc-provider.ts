import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { oidcRealmSettings, realmSetting } from './realm-settings';
import { recordSecret } from './secrets-audit';

/**
 * A real OpenID Provider for the tests (oidc-provider on loopback, test/support/oidc-provider-process.mjs),
 * and a browser to log in at it: redirects followed by hand, cookies kept in a jar, the login and consent
 * forms of its interaction pages submitted as a user would.
 */

export interface TestClient {
  readonly client_id: string;
  readonly client_secret: string;
  readonly redirect_uris: readonly string[];
  readonly post_logout_redirect_uris?: readonly string[];
  readonly token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt';
}

export interface TestProvider {
  readonly issuer: string;
  /** The public half of the provider's signing key, as a JWK set (what `op.jwkset_path` names). */
  readonly publicJwks: { keys: object[] };
  stop(): Promise<void>;
}

export function signingKey(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
    privateKey,
  };
}

export async function startTestProvider(clients: readonly TestClient[]): Promise<TestProvider> {
  const key = signingKey(`test-${randomUUID()}`);
  for (const client of clients) recordSecret('password', client.client_secret);
  const child: ChildProcess = spawn(
    process.execPath,
    [join(__dirname, 'oidc-provider-process.mjs'), JSON.stringify({ clients, jwks: { keys: [key.privateJwk] } })],
    // Its stderr carries only its development-mode warnings.
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the test OpenID Provider exited (${code})`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve);
  });
  const { issuer } = JSON.parse(line) as { issuer: string };
  return {
    issuer,
    publicJwks: { keys: [key.publicJwk] },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface TestRealm {
  readonly name: string;
  readonly client: TestClient;
  /** The JWK set the realm trusts; the provider's own by default. */
  readonly jwks?: { keys: object[] };
  readonly extra?: Record<string, string>;
}

function realmSettings(dir: string, provider: TestProvider, { name, client, jwks, extra }: TestRealm, order: number) {
  writeFileSync(join(dir, `${name}-jwks.json`), JSON.stringify(jwks ?? provider.publicJwks));
  return oidcRealmSettings(provider.issuer, {
    order: String(order),
    'rp.client_id': client.client_id,
    'rp.redirect_uri': client.redirect_uris[0] as string,
    'rp.requested_scopes': '[openid, email, profile, groups]',
    'rp.post_logout_redirect_uri': client.post_logout_redirect_uris?.[0] ?? 'https://kibana.example.com/logged_out',
    'op.userinfo_endpoint': `${provider.issuer}/me`,
    'op.endsession_endpoint': `${provider.issuer}/session/end`,
    'op.jwkset_path': `${name}-jwks.json`,
    'claims.groups': 'groups',
    'claims.name': 'name',
    'claims.mail': 'email',
    ...extra,
  });
}

/**
 * `oidc` realms pointing at the provider, written to `dir` as Elasticsearch reads them (nested keys down
 * to the realm, dotted keys inside it: Elasticsearch reads both), and their client secrets to a secure
 * settings file, whose path is returned (ES_SECURE_SETTINGS).
 */
export function writeOidcRealms(dir: string, provider: TestProvider, realms: readonly TestRealm[]): string {
  const yaml = ['xpack:', '  security:', '    authc:', '      realms:', '        oidc:'];
  const secure: Record<string, string> = {};
  for (const [i, realm] of realms.entries()) {
    yaml.push(`          ${realm.name}:`);
    for (const [key, value] of Object.entries(realmSettings(dir, provider, realm, i + 1)))
      yaml.push(`            ${key}: ${value}`);
    secure[realmSetting('oidc', realm.name, 'rp.client_secret')] = realm.client.client_secret;
  }
  writeFileSync(join(dir, 'elasticsearch.yml'), `${yaml.join('\n')}\n`);
  const secureSettings = join(dir, 'secure-settings.json');
  writeFileSync(secureSettings, JSON.stringify(secure));
  return secureSettings;
}

/** A browser's cookie jar, enough for one provider: name=value pairs, no paths or expiry. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const at = (pair ?? '').indexOf('=');
      if (at > 0) this.cookies.set((pair as string).slice(0, at).trim(), (pair as string).slice(at + 1));
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/**
 * Logs `login` in at the provider from the authorization URL of `oidc/prepare`, and answers the URL the
 * provider finally redirects the browser to (the `redirect_uri` with `code` and `state`), unvisited.
 */
export async function browserLogin(authorizationUrl: string, login: string, redirectPrefix: string): Promise<string> {
  const jar = new CookieJar();
  let url = authorizationUrl;
  let form: Record<string, string> | undefined;
  for (let step = 0; step < 20; step++) {
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(form && { 'content-type': 'application/x-www-form-urlencoded' }) },
      ...(form && { body: new URLSearchParams(form).toString() }),
    });
    jar.store(response);
    form = undefined;
    const location = response.headers.get('location');
    if (location !== null) {
      url = new URL(location, url).toString();
      if (url.startsWith(redirectPrefix)) return url;
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (action === undefined) throw new Error(`the provider answered ${response.status} without a form or a redirect`);
    url = new URL(action, url).toString();
    form = html.includes('name="login"') ? { prompt: 'login', login, password: 'any' } : { prompt: 'consent' };
  }
  throw new Error('the provider never redirected back');
}
