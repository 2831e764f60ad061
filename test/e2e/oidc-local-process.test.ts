import { writeFileRealm } from '../support/file-realm';
import { startNpmStart, startSsoProcess } from '../support/npm-start';
import { browserLogin, startTestProvider, type TestClient, type TestProvider, writeOidcRealms } from '../support/oidc-provider';
import { realmYaml, writeConfigFiles } from '../support/realm-settings';
import { recordSecret } from '../support/secrets-audit';
import { call, esClient } from '../support/test-api';

const REDIRECT = 'https://app.example.com/oidc/callback';
const CLIENT: TestClient = {
  client_id: 'local-process',
  client_secret: 'client-secret-of-the-local-process',
  redirect_uris: [REDIRECT],
};

let provider: TestProvider;

beforeAll(async () => {
  provider = await startTestProvider([CLIENT]);
});
afterAll(() => provider?.stop());

describe('npm start with an elasticsearch.yml pointing at a real OpenID Provider', () => {
  it('OIDC-A-8, TOK-2, TOK-4, TOK-5 ("Done when"): log in with the JS client, _authenticate, refresh, invalidate the realm', async () => {
    const dir = await writeFileRealm();
    const secureSettings = writeOidcRealms(dir, provider, [{ name: 'oidc1', client: CLIENT }]);
    const { started, api, client } = await startSsoProcess({ ES_PATH_CONF: dir, ES_SECURE_SETTINGS: secureSettings }, 'oidc1');
    try {
      const { redirect, state, nonce } = await client.security.oidcPrepareAuthentication({ realm: 'oidc1' });
      const callback = await browserLogin(redirect, 'alice', REDIRECT);
      recordSecret('token', new URL(callback).searchParams.get('code'));
      const tokens = await client.security.oidcAuthenticate({ redirect_uri: callback, state, nonce, realm: 'oidc1' });
      const me = await esClient(api, { bearer: tokens.access_token }).security.authenticate();
      expect({ realm: me.authentication_realm, roles: me.roles }).toEqual({
        realm: { name: 'oidc1', type: 'oidc' },
        roles: ['sso_user'],
      });
      const refreshed = await client.security.getToken({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
      expect((await client.security.invalidateToken({ realm_name: 'oidc1' })).error_count).toBe(0);
      const after = await call(api, 'GET', '/_security/_authenticate', { auth: { bearer: refreshed.access_token as string } });
      expect(after.status).toBe(401);
    } finally {
      await started.stop();
    }
  });

  it("OIDC-S-1: a missing required setting refuses to start with Elasticsearch's message", async () => {
    const dir = await writeFileRealm();
    writeConfigFiles(dir, {
      'elasticsearch.yml': realmYaml('oidc', 'oidc1', { 'rp.client_id': 'x', 'rp.response_type': 'code' }),
    });
    const started = startNpmStart({ ES_PATH_CONF: dir });
    expect(await started.exited).toBe(1);
    expect(started.output()).toMatch(
      /^error: The configuration setting \[xpack\.security\.authc\.realms\.oidc\.oidc1\.op\.token_endpoint\] is required when \[xpack\.security\.authc\.realms\.oidc\.oidc1\.rp\.response_type\] is set to "code"$/m,
    );
  });
});
