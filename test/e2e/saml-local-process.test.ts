import { writeFileRealm } from '../support/file-realm';
import { startSsoProcess } from '../support/npm-start';
import { browserLogin, keyPair, startTestIdp, type TestIdp, writeSamlRealms } from '../support/saml-idp';
import { recordSamlResponse } from '../support/saml-messages';
import { call, esClient } from '../support/test-api';

const SP = {
  entityId: 'https://app.example.com/saml',
  acs: 'https://app.example.com/saml/acs',
  logout: 'https://app.example.com/saml/logout',
  ...keyPair('local-process-sp'),
};

let idp: TestIdp;

beforeAll(async () => {
  idp = await startTestIdp(SP);
});
afterAll(() => idp?.stop());

describe('npm start with an elasticsearch.yml for realm saml1 and a real SAML IdP', () => {
  it('SAML-A-3, TOK-2, TOK-5, SAML-L-3, SAML-I-4 ("Done when"): log in with the JS client, invalidate by {username, realm_name}, SP- and IdP-initiated logout', async () => {
    const dir = await writeFileRealm();
    writeSamlRealms(dir, idp, SP, [{ name: 'saml1' }]);
    const { started, api, client } = await startSsoProcess({ ES_PATH_CONF: dir }, 'saml1');
    try {
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
      await started.stop();
    }
  });
});
