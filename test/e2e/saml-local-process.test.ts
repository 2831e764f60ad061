import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { testEndpoint } from '../support/dynamodb';
import { USERS, writeFileRealm } from '../support/file-realm';
import { browserLogin, keyPair, startTestIdp, type TestIdp, writeSamlRealms } from '../support/saml-idp';
import { recordSamlResponse } from '../support/saml-messages';
import { call, esClient } from '../support/test-api';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const SP = {
  entityId: 'https://app.example.com/saml',
  acs: 'https://app.example.com/saml/acs',
  logout: 'https://app.example.com/saml/logout',
  ...keyPair('local-process-sp'),
};

/** `npm start`'s command (tsx infra/local/main.ts) as a real process; resolves with its URL, or its output if it exits. */
function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [TSX, 'infra/local/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', POWERTOOLS_LOG_LEVEL: 'SILENT', DYNAMODB_ENDPOINT: testEndpoint(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += String(chunk);
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1] as string);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void exited.then(() => reject(new Error(output)));
  });
  url.catch(() => undefined);
  return { child, url, exited, output: () => output };
}

let idp: TestIdp;

beforeAll(async () => {
  idp = await startTestIdp(SP);
});
afterAll(() => idp?.stop());

describe('npm start with an elasticsearch.yml for realm saml1 and a real SAML IdP', () => {
  it('SAML-A-3, TOK-2, TOK-5, SAML-L-3, SAML-I-4 ("Done when"): log in with the JS client, invalidate by {username, realm_name}, SP- and IdP-initiated logout', async () => {
    const dir = await writeFileRealm();
    writeSamlRealms(dir, idp, SP, [{ name: 'saml1' }]);
    const id = randomUUID();
    const started = start({
      ES_PATH_CONF: dir,
      ELASTIC_PASSWORD: USERS.elastic.password,
      TOKENS_TABLE: `process-tokens-${id}`,
      USERS_TABLE: `process-users-${id}`,
      ROLES_TABLE: `process-roles-${id}`,
      ROLE_MAPPINGS_TABLE: `process-role-mappings-${id}`,
    });
    try {
      const api = { url: await started.url };
      const client = esClient(api, USERS.elastic);
      await client.security.putRoleMapping({
        name: 'all_saml',
        enabled: true,
        roles: ['sso_user'],
        rules: { field: { 'realm.name': 'saml1' } },
      });
      const loginAs = async (login: string) => {
        const prepared = await client.security.samlPrepareAuthentication({ realm: 'saml1' });
        const content = recordSamlResponse(await browserLogin(prepared.redirect, login));
        return client.security.samlAuthenticate({ content, ids: [prepared.id], realm: 'saml1' });
      };
      const status = async (token: string) =>
        (await call(api, 'GET', '/_security/_authenticate', { auth: { bearer: token } })).status;

      const tokens = await loginAs('myuser');
      const me = await esClient(api, { bearer: tokens.access_token }).security.authenticate();
      expect({ username: me.username, realm: me.authentication_realm, roles: me.roles }).toEqual({
        username: 'myuser',
        realm: { name: 'saml1', type: 'saml' },
        roles: ['sso_user'],
      });
      const other = await loginAs('someone');
      const invalidated = await client.security.invalidateToken({ username: 'myuser', realm_name: 'saml1' });
      expect(invalidated).toMatchObject({ invalidated_tokens: 2, error_count: 0 });
      expect([await status(tokens.access_token), await status(other.access_token)]).toEqual([401, 200]);

      // SP-initiated: exactly the pair logged out; IdP-initiated: exactly the pairs of the session named.
      const spSide = await loginAs('sp-logout');
      const logout = await client.security.samlLogout({ token: spSide.access_token, refresh_token: spSide.refresh_token });
      expect(new URL(logout.redirect).searchParams.has('SAMLRequest')).toBe(true);
      const idpSide = await loginAs('idp-logout');
      const query = await idp.logoutRequest('idp-logout');
      expect(await client.security.samlInvalidate({ realm: 'saml1', query_string: query })).toMatchObject({ invalidated: 1 });
      expect(await Promise.all([spSide, idpSide, other].map((pair) => status(pair.access_token)))).toEqual([401, 401, 200]);
    } finally {
      started.child.kill('SIGTERM');
      await started.exited;
    }
  });
});
