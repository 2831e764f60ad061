import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileRealm } from './file-realm';
import { startTestProvider, type TestClient, type TestProvider, writeOidcRealms } from './oidc-provider';
import { KIBANA_OIDC_CALLBACK, realmSetting } from './realm-settings';
import { startTestIdp, type TestIdp, writeSamlRealms } from './saml-idp';
import { kibanaSp } from './saml-realm-api';

const OIDC_REALMS = ['oidc1', 'oidc2', 'oidc3'] as const;

export interface DeployedRealms {
  /** The config directory to synthesize with (`-c esPathConf`). */
  readonly directory: string;
  /** The secure settings the operator puts in the stack's secret: client secrets and the SP's signing key. */
  readonly secureSettings: Record<string, string>;
  readonly idp: TestIdp;
  readonly provider: TestProvider;
  stop(): Promise<void>;
}

const client = (name: string): TestClient => ({
  client_id: `kibana-${name}`,
  client_secret: `${name}-client-secret-${Math.random().toString(36).slice(2)}`,
  redirect_uris: [KIBANA_OIDC_CALLBACK],
});

/**
 * A config directory as an operator writes it for a deployment: the file realm, three OpenID Connect realms with
 * their claims and a SAML realm (over 4 KB of settings together), their JWK sets, IdP metadata and certificates
 * as files; the private keys and client secrets apart, for the secret.
 */
export async function writeDeployedRealms(): Promise<DeployedRealms> {
  const sp = kibanaSp('deployed-sp');
  const idp = await startTestIdp(sp);
  const clients = OIDC_REALMS.map(client);
  const provider = await startTestProvider(clients);
  const directory = await writeFileRealm();
  const claims = {
    'claims.dn': 'sub',
    'claim_patterns.principal': '^([^@]+)$',
    'rp.requested_scopes': '[openid, email, profile, groups]',
    'http.connect_timeout': '5s',
    'http.socket_timeout': '5s',
    populate_user_metadata: 'true',
  };
  const oidcSecure = writeOidcRealms(
    directory,
    provider,
    OIDC_REALMS.map((name, i) => ({ name, client: clients[i] as TestClient, extra: claims })),
  );
  const oidcYaml = readFileSync(join(directory, 'elasticsearch.yml'), 'utf8');
  writeSamlRealms(directory, idp, sp, [{ name: 'saml1', extra: { order: '10' } }]);
  writeFileSync(join(directory, 'elasticsearch.yml'), `${readFileSync(join(directory, 'elasticsearch.yml'), 'utf8')}${oidcYaml}`);
  return {
    directory,
    secureSettings: {
      ...JSON.parse(readFileSync(oidcSecure, 'utf8')),
      [realmSetting('saml', 'saml1', 'signing.key')]: sp.key,
    },
    idp,
    provider,
    stop: async () => {
      await idp.stop();
      await provider.stop();
    },
  };
}
