import type { Client } from '@elastic/elasticsearch';
import { USERS, writeFileRealm } from './file-realm';
import {
  browserLogin,
  startTestProvider,
  type TestClient,
  type TestProvider,
  type TestRealm,
  writeOidcRealms,
} from './oidc-provider';
import { KIBANA_OIDC_CALLBACK } from './realm-settings';
import { recordSecret } from './secrets-audit';
import { call, esClient, startTestApi, type TestApi } from './test-api';

/** Elasticsearch's 401 for a failed OpenID Connect authentication (OpenIdConnectRealm, via the authenticate action). */
export const OIDC_AUTHENTICATION_FAILED =
  'unable to authenticate user [<OIDC Token>] for action [cluster:admin/xpack/security/oidc/authenticate]';

/** A relying party of its own for each test file, registered at the loopback provider. */
export function kibanaClient(name: string): TestClient {
  return {
    client_id: `es-token-service-${name}`,
    client_secret: `client-secret-of-the-${name}-relying-party`,
    redirect_uris: [KIBANA_OIDC_CALLBACK],
  };
}

export interface OidcRealmApi {
  readonly provider: TestProvider;
  readonly api: TestApi;
  /** The Kibana-like caller of prepare and authenticate (`elastic`). */
  readonly facilitator: Client;
  /** Prepares at `realm`, logs `login` in at the provider, and answers the body of oidc/authenticate for what the browser brought back. */
  browserLogIn(login: string, realm?: string): Promise<{ redirect_uri: string; state: string; nonce: string; realm: string }>;
  /** Prepares, logs `login` in at the provider, and answers oidc/authenticate with what the browser brought back. */
  logIn(login: string): ReturnType<typeof call>;
  close(): Promise<void>;
}

export interface OidcRealmOptions {
  /** The realm's name; `oidc1` by default. */
  readonly realm?: string;
  /** Settings of the realm beyond the provider's (claims, patterns). */
  readonly extra?: Record<string, string>;
  /** Realms after it, at the same provider. */
  readonly others?: readonly TestRealm[];
  /** The local API's own options (where its invalidations are announced). */
  readonly api?: Parameters<typeof startTestApi>[1];
}

/** The loopback provider and a local API whose realm (`oidc1`) trusts it as `client`: one of each per test file. */
export async function startOidcRealmApi(client: TestClient, options: OidcRealmOptions = {}): Promise<OidcRealmApi> {
  const { realm = 'oidc1', extra = {}, others = [] } = options;
  const provider = await startTestProvider([client]);
  const dir = await writeFileRealm();
  const secureSettings = writeOidcRealms(dir, provider, [{ name: realm, client, extra }, ...others]);
  const api = await startTestApi({ ES_PATH_CONF: dir, ES_SECURE_SETTINGS: secureSettings }, options.api);
  const facilitator = esClient(api, USERS.elastic);
  const browserLogIn = async (login: string, at = realm) => {
    const prepared = await facilitator.security.oidcPrepareAuthentication({ realm: at });
    const redirect_uri = await browserLogin(prepared.redirect, login, KIBANA_OIDC_CALLBACK);
    // The secrets audit makes sure the authorization code is in no table and no log line.
    recordSecret('token', new URL(redirect_uri).searchParams.get('code'));
    return { redirect_uri, state: prepared.state, nonce: prepared.nonce, realm: at };
  };
  return {
    provider,
    api,
    facilitator,
    browserLogIn,
    logIn: async (login) =>
      call(api, 'POST', '/_security/oidc/authenticate', { auth: USERS.elastic, body: await browserLogIn(login) }),
    close: async () => {
      await api.close();
      await provider.stop();
    },
  };
}
