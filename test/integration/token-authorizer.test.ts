import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { createHandler } from '../../functions/authorizer/handler';
import {
  type AuthorizerRequirements,
  authorizerRequirements,
  createAuthorizerService,
} from '../../functions/composition/authorizer';
import { loadConfig } from '../../functions/config';
import { httpApiEvent, METHOD_ARN, restRequestEvent, restTokenEvent } from '../support/authorizer-events';
import { MINUTE, SECOND } from '../support/clock';
import { TEST_REGION, testClients, testEndpoint } from '../support/dynamodb';
import { withFaults } from '../support/faults';
import { USERS } from '../support/file-realm';
import { captureLog } from '../support/log-capture';
import { putNativeRole, putNativeUser } from '../support/native-users';
import { call, passwordGrant, startTestApi, type TestApi } from '../support/test-api';

/**
 * The Lambda authorizer against DynamoDB Local, with the events API Gateway sends: tokens are issued and
 * invalidated by the service over HTTP, and the authorizer reads the same tables with the same clock.
 */

let api: TestApi;
const commands: string[] = [];

/** What the integration reads of alice, a native user holding the native role `orders_reader`. */
const ALICE = {
  username: 'alice',
  realm: 'default_native',
  realmType: 'native',
  authenticationRealm: 'default_native',
  roles: '["orders_reader"]',
  authenticationType: 'token',
};

const NONE: AuthorizerRequirements = { anyRole: [], anyPrivilege: [] };

function authorizer(requirements: AuthorizerRequirements = NONE) {
  const config = loadConfig({
    AWS_REGION: TEST_REGION,
    DYNAMODB_ENDPOINT: testEndpoint(),
    TOKENS_TABLE: api.tokensTable,
    ROLES_TABLE: api.rolesTable,
  });
  const counted: DynamoDBDocumentClient = withFaults(testClients().documents, (command) => {
    commands.push(command.constructor.name);
    return undefined;
  });
  const service = createAuthorizerService(config, requirements, { clock: api.clock.now, documents: counted });
  return createHandler(() => service);
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function restAnswer(handler: ReturnType<typeof authorizer>, headers: Record<string, string | string[]>) {
  return (await handler(restRequestEvent(headers))) as APIGatewayAuthorizerResult;
}

beforeAll(async () => {
  api = await startTestApi();
  await putNativeRole(api, 'orders_reader', ['monitor']);
  await putNativeUser(api, { username: 'alice', password: 'alice-password-1', roles: ['orders_reader'] });
  await putNativeUser(api, { username: 'bob', password: 'bob-password-1', roles: ['viewer'] });
});

afterAll(async () => {
  await api.close();
});

beforeEach(() => {
  commands.length = 0;
  // A realm- or user-wide invalidation covers the pairs created up to its instant: each test's pairs come later.
  api.clock.advance(SECOND);
});

describe('a REST API REQUEST authorizer', () => {
  it('AU-2: lets a valid access token through as its user, for the whole stage, with one read of the pair and its watermarks', async () => {
    const { access_token } = await passwordGrant(api, { username: 'alice', password: 'alice-password-1' });
    const answer = await restAnswer(authorizer(), bearer(access_token));
    expect(answer).toEqual({
      principalId: 'alice',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'execute-api:Invoke',
            Effect: 'Allow',
            Resource: 'arn:aws:execute-api:us-east-1:123456789012:abcdef1234/prod/*',
          },
        ],
      },
      context: ALICE,
    });
    expect(commands).toEqual(['BatchGetCommand']);
  });

  it('reads the header whatever its case, and from a TOKEN authorizer event', async () => {
    const { access_token } = await passwordGrant(api, USERS.elastic);
    const handler = authorizer();
    expect(await restAnswer(handler, { authorization: `bearer ${access_token}` })).toMatchObject({ principalId: 'elastic' });
    expect(await handler(restTokenEvent(`Bearer ${access_token}`))).toMatchObject({ principalId: 'elastic' });
  });

  it('AU-4: refuses an expired access token (401) from the moment it expires', async () => {
    const { access_token } = await passwordGrant(api, USERS.elastic);
    api.clock.advance(20 * MINUTE);
    const handler = authorizer();
    await expect(restAnswer(handler, bearer(access_token))).resolves.toMatchObject({ principalId: 'elastic' });
    api.clock.advance(1);
    await expect(restAnswer(handler, bearer(access_token))).rejects.toThrow(/^Unauthorized$/);
  });

  it('IV-5: refuses an access token from its invalidation on', async () => {
    const { access_token } = await passwordGrant(api, USERS.elastic);
    const handler = authorizer();
    await expect(restAnswer(handler, bearer(access_token))).resolves.toMatchObject({ principalId: 'elastic' });
    const invalidated = await call(api, 'DELETE', '/_security/oauth2/token', {
      auth: USERS.elastic,
      body: { token: access_token },
    });
    expect(invalidated.body.invalidated_tokens).toBe(1);
    await expect(restAnswer(handler, bearer(access_token))).rejects.toThrow(/^Unauthorized$/);
  });

  it.each([
    ['IV-8: by user', { username: 'bob' }],
    ['IV-8: by realm', { realm_name: 'default_native' }],
  ])('%s: refuses every token of the scope from the answer on', async (_name, scope) => {
    const { access_token } = await passwordGrant(api, { username: 'bob', password: 'bob-password-1' });
    const handler = authorizer();
    await expect(restAnswer(handler, bearer(access_token))).resolves.toMatchObject({ principalId: 'bob' });
    const invalidated = await call(api, 'DELETE', '/_security/oauth2/token', { auth: USERS.elastic, body: scope });
    expect(invalidated.status).toBe(200);
    await expect(restAnswer(handler, bearer(access_token))).rejects.toThrow(/^Unauthorized$/);
  });

  it('AU-5: refuses a refresh token offered as an access token, a malformed token, Basic credentials and no header', async () => {
    const { refresh_token } = await passwordGrant(api, USERS.elastic);
    const handler = authorizer();
    const basic = `Basic ${Buffer.from(`${USERS.elastic.username}:${USERS.elastic.password}`).toString('base64')}`;
    for (const headers of [
      bearer(refresh_token),
      bearer('not-a-token'),
      bearer(`${'A'.repeat(40)}`),
      { Authorization: basic },
      { Authorization: 'Basic !!!' },
      { Authorization: 'Bearer' },
      {},
    ]) {
      await expect(restAnswer(handler, headers)).rejects.toThrow(/^Unauthorized$/);
    }
  });

  it('refuses two Authorization headers, even both valid', async () => {
    const { access_token } = await passwordGrant(api, USERS.elastic);
    const handler = authorizer();
    await expect(restAnswer(handler, { Authorization: [`Bearer ${access_token}`, `Bearer ${access_token}`] })).rejects.toThrow(
      /^Unauthorized$/,
    );
  });

  it('lets through a caller holding a required privilege (one read of its native role), and denies one who does not (403)', async () => {
    const handler = authorizer({ anyRole: [], anyPrivilege: ['monitor'] });
    const alice = await passwordGrant(api, { username: 'alice', password: 'alice-password-1' });
    const bob = await passwordGrant(api, { username: 'bob', password: 'bob-password-1' });
    const elastic = await passwordGrant(api, USERS.elastic);
    commands.length = 0;
    expect((await restAnswer(handler, bearer(alice.access_token))).policyDocument.Statement[0]).toMatchObject({
      Effect: 'Allow',
    });
    expect(commands).toEqual(['BatchGetCommand', 'BatchGetCommand']);
    const denied = await restAnswer(handler, bearer(bob.access_token));
    expect(denied.policyDocument.Statement[0]).toMatchObject({ Effect: 'Deny' });
    expect(denied.principalId).toBe('bob');
    // `all` (superuser) always counts.
    expect((await restAnswer(handler, bearer(elastic.access_token))).policyDocument.Statement[0]).toMatchObject({
      Effect: 'Allow',
    });
  });

  it('lets through a caller holding a required role, and denies one who does not', async () => {
    const handler = authorizer({ anyRole: ['orders_reader', 'orders_admin'], anyPrivilege: [] });
    const alice = await passwordGrant(api, { username: 'alice', password: 'alice-password-1' });
    const bob = await passwordGrant(api, { username: 'bob', password: 'bob-password-1' });
    expect((await restAnswer(handler, bearer(alice.access_token))).policyDocument.Statement[0]).toMatchObject({
      Effect: 'Allow',
    });
    expect((await restAnswer(handler, bearer(bob.access_token))).policyDocument.Statement[0]).toMatchObject({ Effect: 'Deny' });
  });

  it('fails closed when the tokens table cannot be read: the gateway answers 500, nothing is let through', async () => {
    const config = loadConfig({
      AWS_REGION: TEST_REGION,
      DYNAMODB_ENDPOINT: testEndpoint(),
      TOKENS_TABLE: 'no-such-table',
      ROLES_TABLE: api.rolesTable,
    });
    const service = createAuthorizerService(config, NONE, { clock: api.clock.now, documents: testClients().documents });
    const { access_token } = await passwordGrant(api, USERS.elastic);
    await expect(createHandler(() => service)(restRequestEvent(bearer(access_token)))).rejects.not.toThrow(/^Unauthorized$/);
  });
});

describe('an HTTP API authorizer (payload 2.0, simple responses)', () => {
  it('AU-2: lets a valid access token through with the caller context', async () => {
    const { access_token } = await passwordGrant(api, { username: 'alice', password: 'alice-password-1' });
    expect(await authorizer()(httpApiEvent(bearer(access_token)))).toEqual({
      isAuthorized: true,
      context: ALICE,
    });
  });

  it('refuses expired, invalidated, refresh, malformed, missing and joined tokens, and a missing privilege', async () => {
    const refused = { isAuthorized: false, context: {} };
    const handler = authorizer();
    const expiring = await passwordGrant(api, USERS.elastic);
    const invalidated = await passwordGrant(api, USERS.elastic);
    await call(api, 'DELETE', '/_security/oauth2/token', { auth: USERS.elastic, body: { token: invalidated.access_token } });
    const cases: Record<string, string>[] = [
      bearer(invalidated.access_token),
      bearer(invalidated.refresh_token),
      bearer('%%%'),
      {},
      { authorization: `Bearer ${expiring.access_token},Bearer ${expiring.access_token}` },
    ];
    for (const headers of cases) {
      expect(await handler(httpApiEvent(headers))).toEqual(refused);
    }
    expect(await handler(httpApiEvent(bearer(expiring.access_token)))).toMatchObject({ isAuthorized: true });
    api.clock.advance(20 * MINUTE + 1);
    expect(await handler(httpApiEvent(bearer(expiring.access_token)))).toEqual(refused);

    const bob = await passwordGrant(api, { username: 'bob', password: 'bob-password-1' });
    const privileged = authorizer({ anyRole: [], anyPrivilege: ['manage_security'] });
    expect(await privileged(httpApiEvent(bearer(bob.access_token)))).toEqual(refused);
  });
});

describe('its log', () => {
  it('says what was decided and why a caller was refused, never who the caller is nor its token', async () => {
    const { access_token } = await passwordGrant(api, { username: 'alice', password: 'alice-password-1' });
    const log = captureLog();
    const handler = authorizer();
    await handler(restRequestEvent(bearer(access_token)));
    await expect(handler(restRequestEvent({}))).rejects.toThrow(/^Unauthorized$/);
    await expect(
      handler(restRequestEvent({ Authorization: `Basic ${Buffer.from('alice:x').toString('base64')}` })),
    ).rejects.toThrow();
    const lines = log
      .lines()
      .split('\n')
      .filter((line) => line.includes('authorizer decided'))
      .map((line) => JSON.parse(line));
    expect(lines.map(({ decision, reason }) => [decision, reason])).toEqual([
      ['allow', undefined],
      ['unauthorized', 'no credentials'],
      ['unauthorized', 'credentials refused'],
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/alice|Bearer|Basic/);
  });
});

describe('the requirements of its environment', () => {
  it('reads the comma-separated roles and privileges the construct sets, and refuses to start on an unknown privilege', () => {
    expect(authorizerRequirements({ AUTHORIZER_ROLES: ' a, b ,', AUTHORIZER_PRIVILEGES: 'monitor,manage_token' })).toEqual({
      anyRole: ['a', 'b'],
      anyPrivilege: ['monitor', 'manage_token'],
    });
    expect(authorizerRequirements({})).toEqual(NONE);
    expect(() => authorizerRequirements({ AUTHORIZER_PRIVILEGES: 'monitor,superpowers' })).toThrow(/\[superpowers\]/);
    expect(METHOD_ARN).toContain('/prod/GET/');
  });
});
