import type { Client } from '@elastic/elasticsearch';
import { USERS, writeFileRealm } from './file-realm';
import { startTestProvider, type TestClient, type TestProvider, writeOidcRealms } from './oidc-provider';
import { esClient, startTestApi, type TestApi } from './test-api';

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
  close(): Promise<void>;
}

/** The loopback provider and a local API whose realm `oidc1` trusts it as `client`: one of each per test file. */
export async function startOidcRealmApi(client: TestClient, extra: Record<string, string> = {}): Promise<OidcRealmApi> {
  const provider = await startTestProvider([client]);
  const dir = await writeFileRealm();
  const secureSettings = writeOidcRealms(dir, provider, [{ name: 'oidc1', client, extra }]);
  const api = await startTestApi({ ES_PATH_CONF: dir, ES_SECURE_SETTINGS: secureSettings });
  return {
    provider,
    api,
    facilitator: esClient(api, USERS.elastic),
    close: async () => {
      await api.close();
      await provider.stop();
    },
  };
}
