import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tokenMetadataOf } from '../../functions/security/authc/saml/saml-user';
import { DynamoDbTokenStore } from '../../functions/store/dynamodb-token-store';
import { TokenService } from '../../functions/tokens/token-service';
import { Meter, MeteredClient } from '../bench/metered-client';
import { testClients } from '../support/dynamodb';
import { USERS } from '../support/file-realm';
import { browserLogin, type TestIdp } from '../support/saml-idp';
import { recordSamlResponse } from '../support/saml-messages';
import { kibanaSp, type SamlRealmApi, startSamlRealmApi } from '../support/saml-realm-api';
import { call, type TestApi } from '../support/test-api';
import { authenticatedUser } from '../support/test-users';

/**
 * SAML-I-4: what an IdP-initiated logout reads and writes is its session's pairs, whatever else the realm holds.
 * Over HTTP against the local API on DynamoDB Local, its DynamoDB client wrapped to ask for ReturnConsumedCapacity;
 * the realm's other sessions are issued through the token service, as logins would issue them.
 */
const SP = kibanaSp('session-cost-sp');
const OTHER_SESSIONS = 300;

let realm: SamlRealmApi;
let idp: TestIdp;
let api: TestApi;
let metered: MeteredClient;

beforeAll(async () => {
  const documents = (healthy: DynamoDBDocumentClient) => {
    metered = new MeteredClient(healthy);
    return metered.client;
  };
  realm = await startSamlRealmApi(SP, { documents });
  ({ idp, api } = realm);
});
afterAll(() => realm?.close());

/** A session of `login` at the IdP with two pairs (its login and a refresh of it). */
async function sessionWithTwoPairs(login: string): Promise<void> {
  const prepared = await call(api, 'POST', '/_security/saml/prepare', { auth: USERS.elastic, body: { realm: 'saml1' } });
  const content = recordSamlResponse(await browserLogin(prepared.body.redirect, login));
  const pair = await call(api, 'POST', '/_security/saml/authenticate', {
    auth: USERS.elastic,
    body: { content, ids: [prepared.body.id], realm: 'saml1' },
  });
  expect(pair.status).toBe(200);
  const refreshed = await call(api, 'POST', '/_security/oauth2/token', {
    auth: USERS.elastic,
    body: { grant_type: 'refresh_token', refresh_token: pair.body.refresh_token },
  });
  expect(refreshed.status).toBe(200);
}

/** The realm's other sessions: a pair each, with its own NameID and session index. */
async function issueOtherSessions(count: number): Promise<void> {
  const { documents } = testClients();
  const tokens = new TokenService({
    store: new DynamoDbTokenStore({ client: documents, tableName: api.tokensTable, indexShards: 16 }),
    clock: api.clock.now,
    accessTokenTimeoutMs: 20 * 60_000,
  });
  const realmRef = { name: 'saml1', type: 'saml' };
  for (let n = 0; n < count; n++) {
    await tokens.issue({
      authentication: authenticatedUser(`other${n}`, realmRef),
      client: { username: USERS.elastic.username, realm: 'reserved' },
      withRefreshToken: true,
      tokenMetadata: tokenMetadataOf('saml1', { value: `other${n}` }, `_session-${n}`),
    });
  }
}

/** Logs `login`'s session out from the IdP, counting what DynamoDB was asked and billed. */
async function logoutCost(login: string) {
  const query = await idp.logoutRequest(login, 'relay');
  const meter = new Meter();
  metered.meter = meter;
  const response = await call(api, 'POST', '/_security/saml/invalidate', {
    auth: USERS.elastic,
    body: { realm: 'saml1', query_string: query },
  });
  metered.meter = new Meter();
  expect(response.body.invalidated).toBe(2);
  return { calls: meter.calls, read: meter.read, write: meter.write };
}

describe('SAML-I-4: an IdP-initiated logout costs its session, not its realm', () => {
  it('SAML-I-4: the same calls and capacity with no other session in the realm and with 300', async () => {
    await sessionWithTwoPairs('grace');
    const alone = await logoutCost('grace');
    await issueOtherSessions(OTHER_SESSIONS);
    await sessionWithTwoPairs('heidi');
    const crowded = await logoutCost('heidi');
    expect(crowded).toEqual(alone);
    // One Query of the session's index, one UpdateItem a pair; the caller's Basic authentication reads nothing.
    expect(alone.calls).toEqual({ Query: 1, UpdateItem: 2 });
    expect(Object.keys(alone.read)).toEqual(['saml-session-index']);
  });
});
