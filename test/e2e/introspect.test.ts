import fc from 'fast-check';
import { MINUTE, SECOND } from '../support/clock';
import { withFaults } from '../support/faults';
import { USERS } from '../support/file-realm';
import { type FuzzRequest, late, rawRequest, STACK_TRACE } from '../support/fuzz';
import { putNativeRole, putNativeUser } from '../support/native-users';
import { MALFORMED_TOKEN, NEVER_ISSUED, withOtherSecret } from '../support/never-issued';
import { recordSecret } from '../support/secrets-audit';
import { type Auth, authorizationHeader, call, passwordGrant, startTestApi, type TestApi } from '../support/test-api';

/**
 * Token introspection (RFC 7662) over HTTP: the request and answers of the RFC's own examples (§2.1, §2.2), the
 * privilege it needs, answers that say nothing of why a token is inactive (one read of the same shape, whatever
 * the reason), and hostile input.
 */

let api: TestApi;
/** The DynamoDB calls of the service, with the keys each BatchGetItem asked for. */
const reads: { command: string; keys: number }[] = [];

beforeAll(async () => {
  api = await startTestApi(
    {},
    {
      documents: (healthy) =>
        withFaults(healthy, (command) => {
          const items = command.input?.RequestItems as Record<string, { Keys: unknown[] }> | undefined;
          const keys = Object.values(items ?? {}).reduce((sum, table) => sum + table.Keys.length, 0);
          reads.push({ command: command.constructor.name, keys });
          return undefined;
        }),
    },
  );
  await putNativeRole(api, 'introspector', ['cluster:admin/xpack/security/token/introspect']);
  await putNativeUser(api, { username: 'gateway', password: 'gateway-password-1', roles: ['introspector'] });
  await putNativeUser(api, { username: 'dora', password: 'dora-password-1', roles: [] });
});
afterAll(() => api.close());
beforeEach(() => {
  // A user-wide invalidation covers the pairs created up to its instant: each test's pairs come later.
  api.clock.advance(SECOND);
});

/** RFC 7662 §2.1's request: a form-encoded POST by an authenticated resource server. */
function introspect(form: string, auth: Auth = USERS.elastic, contentType = 'application/x-www-form-urlencoded') {
  return call(api, 'POST', '/oauth2/introspect', { rawBody: form, auth, headers: { 'content-type': contentType } });
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** An issued token with a byte of its pair id changed: the same shape and scope, a pair that was never issued. */
function withOtherPairId(token: string): string {
  const bytes = Buffer.from(token, 'base64url');
  bytes[1] = (bytes[1] as number) ^ 0xff;
  return bytes.toString('base64url');
}

describe('RFC 7662 §2.1 and §2.2: the examples', () => {
  it('an active access token: active, its user, its times, Bearer', async () => {
    const pair = await passwordGrant(api, { username: 'dora', password: 'dora-password-1' });
    const issuedAt = Math.floor(api.clock.time / 1000);
    const response = await introspect(form({ token: pair.access_token, token_type_hint: 'access_token' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.body).toEqual({
      active: true,
      username: 'dora',
      sub: 'dora',
      exp: issuedAt + 20 * 60,
      iat: issuedAt,
      token_type: 'Bearer',
      realm: 'default_native',
      roles: [],
      authentication_type: 'token',
    });
  });

  it('the hint is only a hint: an access token hinted as a refresh token, or with an unknown hint, is still found', async () => {
    const pair = await passwordGrant(api, USERS.elastic);
    for (const hint of ['refresh_token', 'id_token', '']) {
      expect((await introspect(form({ token: pair.access_token, token_type_hint: hint }))).body.active).toBe(true);
    }
  });

  it('§2.2: inactive and nothing more for every token not valid now, each costing the same one read', async () => {
    const expiring = await passwordGrant(api, USERS.elastic);
    const invalidated = await passwordGrant(api, USERS.elastic);
    const revoked = await passwordGrant(api, { username: 'dora', password: 'dora-password-1' });
    await call(api, 'DELETE', '/_security/oauth2/token', { auth: USERS.elastic, body: { token: invalidated.access_token } });
    await call(api, 'DELETE', '/_security/oauth2/token', { auth: USERS.elastic, body: { username: 'dora' } });
    api.clock.advance(20 * MINUTE + 1);
    const inactive = {
      'the RFC example token': '2YotnFZFEjr1zCsicMWpAA',
      'never issued': withOtherPairId(invalidated.access_token),
      malformed: MALFORMED_TOKEN,
      'a wrong secret': withOtherSecret(invalidated.access_token),
      expired: expiring.access_token,
      invalidated: invalidated.access_token,
      'revoked with its user': revoked.access_token,
      'a refresh token': expiring.refresh_token,
    };
    const readsOf: Record<string, unknown> = {};
    for (const [why, token] of Object.entries(inactive)) {
      reads.length = 0;
      const response = await introspect(form({ token }));
      expect([why, response.status, response.text]).toEqual([why, 200, '{"active":false}']);
      readsOf[why] = reads.slice();
    }
    // The same single BatchGetItem (the pair and its watermarks) whatever the reason.
    const first = Object.values(readsOf)[0];
    expect(first).toEqual([{ command: 'BatchGetCommand', keys: expect.any(Number) }]);
    for (const [why, seen] of Object.entries(readsOf)) expect([why, seen]).toEqual([why, first]);
  });
});

describe('who may introspect', () => {
  it('a role naming the introspect action alone, or the token privileges; not a user without them (ER-10); not anonymously (ER-8)', async () => {
    const { access_token } = await passwordGrant(api, USERS.elastic);
    const body = form({ token: access_token });
    expect((await introspect(body, { username: 'gateway', password: 'gateway-password-1' })).body.active).toBe(true);
    expect((await introspect(body, USERS.tokenClient)).body.active).toBe(true);
    const reader = await introspect(body, USERS.reader);
    expect(reader.status).toBe(403);
    expect(reader.body.error.reason).toContain('action [cluster:admin/xpack/security/token/introspect] is unauthorized');
    const anonymous = await call(api, 'POST', '/oauth2/introspect', {
      rawBody: body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(anonymous.status).toBe(401);
    // A token does not introspect itself: its holder needs the privilege as any caller does.
    const dora = await passwordGrant(api, { username: 'dora', password: 'dora-password-1' });
    expect((await introspect(form({ token: dora.access_token }), { bearer: dora.access_token })).status).toBe(403);
  });
});

describe('requests RFC 7662 refuses', () => {
  it.each([
    ['no token', '', 'token is missing'],
    ['an empty token', 'token=', 'token is missing'],
    ['a hint alone', 'token_type_hint=access_token', 'token is missing'],
    ['the token twice', 'token=a&token=b', 'a parameter was sent more than once'],
    ['the hint twice', 'token=a&token_type_hint=x&token_type_hint=y', 'a parameter was sent more than once'],
  ])('%s: 400 invalid_request', async (_name, body, description) => {
    const response = await introspect(body);
    expect([response.status, response.body]).toEqual([400, { error: 'invalid_request', error_description: description }]);
  });

  it('a JSON body: 400 invalid_request, the body is a form', async () => {
    const response = await introspect(JSON.stringify({ token: NEVER_ISSUED.accessToken }), USERS.elastic, 'application/json');
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid_request');
  });
});

describe('hostile input', () => {
  it('never a 5xx, a stack trace or a token in the answer: a 4xx in the contract shape or an introspection', async () => {
    const { access_token } = await passwordGrant(api, USERS.elastic);
    recordSecret('token', access_token);
    const token = fc.oneof(
      late(() => access_token),
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ minLength: 1_000, maxLength: 20_000, unit: 'binary-ascii' }),
      fc.constantFrom(NEVER_ISSUED.accessToken, NEVER_ISSUED.refreshToken, MALFORMED_TOKEN, '__proto__', 'constructor'),
    );
    const field = fc.oneof(fc.constantFrom('token', 'token_type_hint', '__proto__', 'constructor', 'TOKEN'), fc.string());
    const body = fc.oneof(
      fc.array(fc.tuple(field, token), { maxLength: 4 }).map((pairs) => new URLSearchParams(pairs).toString()),
      fc.string({ unit: 'binary' }),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
      fc.constant(`token=${'%FF'.repeat(10)}`),
    );
    const contentType = fc.constantFrom(
      'application/x-www-form-urlencoded',
      'Application/X-WWW-Form-Urlencoded; charset=UTF-8',
      'application/json',
      'text/plain',
      undefined,
    );
    const caller = fc.constantFrom(authorizationHeader(USERS.elastic).authorization, undefined, 'Bearer x', 'Basic !');
    const requests: fc.Arbitrary<FuzzRequest> = fc.record({
      method: fc.constant('POST'),
      path: fc.constant('/oauth2/introspect'),
      authorization: caller,
      contentType,
      body,
    });
    await fc.assert(
      fc.asyncProperty(requests, async (r) => {
        const response = await rawRequest(api.url, r);
        const problems: string[] = [];
        if (response.status >= 500) problems.push('5xx');
        if (STACK_TRACE.test(response.text)) problems.push('a stack trace');
        if (response.text.includes(access_token)) problems.push('a token');
        const json = JSON.parse(response.text);
        if (response.status === 200 && typeof json.active !== 'boolean') problems.push('not an introspection');
        if (response.status >= 400 && json.error === undefined) problems.push('not an error');
        expect(problems).toEqual([]);
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
