import { loadConfig } from '../../functions/config';
import { createService } from '../../functions/service';
import { startLocalApi } from '../../infra/local/server';
import { TEST_REGION, testEndpoint } from '../support/dynamodb';
import { USERS } from '../support/file-realm';
import { rawRequest } from '../support/fuzz';
import { authorizationHeader, call, startTestApi, type TestApi } from '../support/test-api';

const TOKEN = '/_security/oauth2/token';
let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const esError = (type: string, reason: string, status: number) => ({
  error: expect.objectContaining({ root_cause: [expect.objectContaining({ type, reason })], type, reason }),
  status,
});

describe('transport rules over HTTP', () => {
  it('ER-1, ER-2: a 2xx answer is JSON with x-elastic-product: Elasticsearch', async () => {
    const response = await call(api, 'GET', '/_security/_authenticate', { auth: USERS.elastic });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('x-elastic-product')).toBe('Elasticsearch');
  });

  it('ER-1: an error answer is JSON too', async () => {
    const response = await call(api, 'POST', TOKEN, { auth: USERS.elastic, body: {} });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it.each(['7', '8', '9'])(
    'ER-3: a body sent as application/vnd.elasticsearch+json; compatible-with=%s is JSON (7 an extension)',
    async (version) => {
      const response = await call(api, 'POST', TOKEN, {
        auth: USERS.elastic,
        rawBody: JSON.stringify({ grant_type: 'client_credentials' }),
        // Both headers, as the clients send them: Elasticsearch's RestCompatibleVersionHelper refuses one alone.
        headers: {
          'content-type': `application/vnd.elasticsearch+json; compatible-with=${version}`,
          accept: `application/vnd.elasticsearch+json; compatible-with=${version}`,
        },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(`application/vnd.elasticsearch+json;compatible-with=${version}`);
    },
  );

  it('ER-4: no body is 400 parse_exception request body is required', async () => {
    const response = await call(api, 'POST', TOKEN, { auth: USERS.elastic });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(esError('parse_exception', 'request body is required', 400));
  });

  it.each(['{"grant_type":', 'not json', '{"a":1}}'])(
    'ER-5: %s is a 400 parse error that does not echo the body',
    async (rawBody) => {
      const response = await call(api, 'POST', TOKEN, { auth: USERS.elastic, rawBody });
      expect(response.status).toBe(400);
      expect(['parse_exception', 'x_content_parse_exception']).toContain(response.body.error.type);
      expect(response.text).not.toContain(rawBody);
    },
  );

  it('ER-5: a body whose parse error would quote a password does not leak it', async () => {
    const rawBody = '{"grant_type":"password","username":"elastic","password":"hunter2-secret" oops}';
    const response = await call(api, 'POST', TOKEN, { auth: USERS.elastic, rawBody });
    expect(response.status).toBe(400);
    expect(response.text).not.toContain('hunter2-secret');
  });

  it('ER-6: an unknown field is 400 x_content_parse_exception', async () => {
    const response = await call(api, 'POST', TOKEN, { auth: USERS.elastic, body: { grant_type: 'password', foo: 'bar' } });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(esError('x_content_parse_exception', '[1:31] [token_request] unknown field [foo]', 400));
  });

  it('ER-7: a field that is not a string is 400 x_content_parse_exception naming the JSON type', async () => {
    const response = await call(api, 'POST', TOKEN, { auth: USERS.elastic, body: { grant_type: 5 } });
    expect(response.status).toBe(400);
    expect(response.body.error.type).toBe('x_content_parse_exception');
    expect(response.body.error.reason).toMatch(/\[token_request\] grant_type doesn't support values of type: VALUE_NUMBER$/);
  });

  it.each([
    ['no Authorization header', {}],
    ['an unknown scheme', { authorization: 'Digest abc' }],
  ])('ER-8: %s is 401 missing authentication credentials, with both challenges', async (_name, headers) => {
    const response = await call(api, 'GET', '/_security/_authenticate?pretty', { headers });
    expect(response.status).toBe(401);
    expect(response.body).toEqual(
      esError(
        'security_exception',
        'missing authentication credentials for REST request [/_security/_authenticate?pretty=]',
        401,
      ),
    );
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="security" charset="UTF-8", Bearer realm="security"');
  });

  it('ER-8: authentication comes before body checks: an anonymous bad body is still 401', async () => {
    const response = await call(api, 'POST', TOKEN, { rawBody: 'not json' });
    expect(response.status).toBe(401);
  });

  it('ER-9: wrong Basic credentials are 401 unable to authenticate user', async () => {
    const response = await call(api, 'POST', TOKEN, {
      auth: { username: 'elastic', password: 'wrong-password' },
      body: { grant_type: 'client_credentials' },
    });
    expect(response.status).toBe(401);
    expect(response.body).toEqual(
      esError('security_exception', 'unable to authenticate user [elastic] for REST request [/_security/oauth2/token]', 401),
    );
    expect(response.headers.get('www-authenticate')).toContain('Basic realm="security"');
    expect(response.text).not.toContain('wrong-password');
  });

  it('ER-10: 403 names the action and the granting privileges', async () => {
    const response = await call(api, 'POST', TOKEN, { auth: USERS.reader, body: { grant_type: 'client_credentials' } });
    expect(response.status).toBe(403);
    expect(response.body.error.reason).toContain(
      'this action is granted by the cluster privileges [manage_token,manage_security,all]',
    );
  });

  it('ER-11: a storage failure is a 503 ES error body with no internals', async () => {
    const broken = createService(
      loadConfig({
        AWS_REGION: TEST_REGION,
        DYNAMODB_ENDPOINT: testEndpoint(),
        TOKENS_TABLE: 'no-such-table',
        ELASTIC_PASSWORD: USERS.elastic.password,
      }),
    );
    const brokenApi = await startLocalApi(broken, { port: 0 });
    try {
      const response = await call(brokenApi, 'POST', TOKEN, { auth: USERS.elastic, body: { grant_type: 'client_credentials' } });
      expect(response.status).toBe(503);
      expect(response.body.status).toBe(503);
      expect(response.body.error.type).toBeDefined();
      expect(response.text).not.toMatch(/ResourceNotFound|no-such-table|\bat \w/);
    } finally {
      await brokenApi.close();
    }
  });

  it('an unsupported Content-Type is refused in the ES error shape, never parsed', async () => {
    const response = await call(api, 'POST', TOKEN, {
      auth: USERS.elastic,
      rawBody: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(406);
    // RestController's simple error form (createSimpleErrorResponse).
    expect(response.body).toEqual({
      error: 'Content-Type header [application/x-www-form-urlencoded] is not supported',
      status: 406,
    });
  });

  it('an API that reads no body refuses one, as Elasticsearch does, after authentication', async () => {
    for (const [method, path] of [
      ['GET', '/_security/_authenticate'],
      ['GET', '/_security/user/reader'],
      ['DELETE', '/_security/role/nobody'],
      ['POST', '/_security/user/nobody/_disable'],
    ] as const) {
      // node:http, since fetch cannot send a GET with a body.
      const request = { method, path, contentType: 'application/json', body: '{"any":"thing"}' };
      const response = await rawRequest(api.url, { ...request, authorization: authorizationHeader(USERS.elastic).authorization });
      expect(response.status).toBe(400);
      expect(JSON.parse(response.text)).toEqual(
        esError('illegal_argument_exception', `request [${method} ${path}] does not support having a body`, 400),
      );
      expect((await rawRequest(api.url, { ...request, authorization: undefined })).status).toBe(401);
    }
    expect((await call(api, 'GET', '/_security/_authenticate', { auth: USERS.elastic })).status).toBe(200);
  });

  it('an unknown path is answered in the ES error shape, a wrong method with 405', async () => {
    const unknown = await call(api, 'GET', '/_nope', { auth: USERS.elastic });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ error: 'no handler found for uri [/_nope] and method [GET]' });
    const wrongMethod = await call(api, 'GET', TOKEN, { auth: USERS.elastic });
    expect(wrongMethod.status).toBe(405);
  });
});
