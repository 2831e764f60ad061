import type { Client } from '@elastic/elasticsearch';
import { USERS, writeFileRealm } from './file-realm';
import { browserLogin, startTestProvider, type TestClient, type TestProvider, writeOidcRealms } from './oidc-provider';
import { recordSecret } from './secrets-audit';
import { call, esClient, startTestApi, type TestApi } from './test-api';

/** Elasticsearch's 401 for a failed OpenID Connect authentication (OpenIdConnectRealm, via the authenticate action). */
export const OIDC_AUTHENTICATION_FAILED =
  'unable to authenticate user [<OIDC Token>] for action [cluster:admin/xpack/security/oidc/authenticate]';

/** Where the provider sends the browser back: Kibana's callback, as in Elasticsearch's OpenID Connect guide. */
export const KIBANA_OIDC_CALLBACK = 'https://kibana.example.com/api/security/oidc/callback';

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
  /** Prepares, logs `login` in at the provider, and answers oidc/authenticate with what the browser brought back. */
  logIn(login: string): ReturnType<typeof call>;
  close(): Promise<void>;
}

/** The loopback provider and a local API whose realm `oidc1` trusts it as `client`: one of each per test file. */
export async function startOidcRealmApi(
  client: TestClient,
  extra: Record<string, string> = {},
  options: Parameters<typeof startTestApi>[1] = {},
): Promise<OidcRealmApi> {
  const provider = await startTestProvider([client]);
  const dir = await writeFileRealm();
  const secureSettings = writeOidcRealms(dir, provider, [{ name: 'oidc1', client, extra }]);
  const api = await startTestApi({ ES_PATH_CONF: dir, ES_SECURE_SETTINGS: secureSettings }, options);
  const facilitator = esClient(api, USERS.elastic);
  return {
    provider,
    api,
    facilitator,
    logIn: async (login) => {
      const prepared = await facilitator.security.oidcPrepareAuthentication({ realm: 'oidc1' });
      const redirect_uri = await browserLogin(prepared.redirect, login, KIBANA_OIDC_CALLBACK);
      recordSecret('token', new URL(redirect_uri).searchParams.get('code'));
      const body = { redirect_uri, state: prepared.state, nonce: prepared.nonce, realm: 'oidc1' };
      return call(api, 'POST', '/_security/oidc/authenticate', { auth: USERS.elastic, body });
    },
    close: async () => {
      await api.close();
      await provider.stop();
    },
  };
}
