import { USERS } from '../support/file-realm';
import { basic, rawRequest } from '../support/fuzz';
import { authorizationHeader, call, esClient, startTestApi, type TestApi } from '../support/test-api';

/*
 * How the HTTP layer reads a request before any API sees it, as Elasticsearch's RestController, its media types,
 * its JSON parser and its Basic header do: the body's bytes, its Content-Type, the Authorization header, the
 * method and the path as sent.
 */

const TOKEN = '/_security/oauth2/token';
const AUTHENTICATE = '/_security/_authenticate';
const ELASTIC = authorizationHeader(USERS.elastic).authorization;
let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));

describe('a JSON body is strictly UTF-8', () => {
  it('ER-13: a body with a byte that is not UTF-8 is 400 x_content_parse_exception, not a replacement character', async () => {
    const body = bytes('{"grant_type":"client_credentials', [0xff], '"}');
    const response = await rawRequest(api.url, {
      method: 'POST',
      path: TOKEN,
      authorization: ELASTIC,
      contentType: 'application/json',
      body,
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toEqual({
      error: expect.objectContaining({ type: 'x_content_parse_exception', reason: '[1:34] Invalid UTF-8 start byte 0xff' }),
      status: 400,
    });
  });

  it('ER-13: a password whose bytes are not UTF-8 is refused, so it cannot stand for another one', async () => {
    const body = bytes('{"password":"pass', [0xc3, 0x28], 'word","roles":[]}');
    const path = '/_security/user/utf8_victim';
    const response = await rawRequest(api.url, {
      method: 'PUT',
      path,
      authorization: ELASTIC,
      contentType: 'application/json',
      body,
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).error.reason).toBe('[1:19] Invalid UTF-8 middle byte 0x28');
    expect((await call(api, 'GET', path, { auth: USERS.elastic })).status).toBe(404);
  });

  it('ER-13: valid multi-byte UTF-8 is read as sent', async () => {
    const client = esClient(api, USERS.elastic);
    await client.security.putUser({ username: 'utf8_user', password: 'pässwörd-☃-𝄞', roles: [] });
    const token = await esClient(api, { username: 'utf8_user', password: 'pässwörd-☃-𝄞' }).security.authenticate();
    expect(token.username).toBe('utf8_user');
  });
});

describe('every JSON media type that negotiation accepts is parsed', () => {
  it.each(['APPLICATION/JSON', 'Application/Json; charset=UTF-8', 'application/x-ndjson', 'application/*'])(
    'ER-3: a body sent as %s is read as JSON',
    async (contentType) => {
      const response = await call(api, 'POST', TOKEN, {
        auth: USERS.elastic,
        rawBody: JSON.stringify({ grant_type: 'client_credentials' }),
        headers: { 'content-type': contentType },
      });
      expect(response.status).toBe(200);
      expect(response.body.type).toBe('Bearer');
    },
  );
});

describe('a Basic header that cannot be used says why', () => {
  const challenged = (reason: string) => ({
    error: expect.objectContaining({ root_cause: [expect.objectContaining({ type: 'security_exception', reason })], reason }),
    status: 401,
  });

  it.each([
    ['not base64', 'Basic !!!!', 'invalid basic authentication header encoding'],
    ['base64 without a colon', basic('elastic'), 'invalid basic authentication header value'],
    ['an empty user name', basic(':elastic-test-password'), `unable to authenticate user [] for REST request [${AUTHENTICATE}]`],
  ])('ER-12: Basic %s is 401 with its own reason and both challenges', async (_name, authorization, reason) => {
    const response = await call(api, 'GET', AUTHENTICATE, { headers: { authorization } });
    expect(response.status).toBe(401);
    expect(response.body).toEqual(challenged(reason));
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="security" charset="UTF-8", Bearer realm="security"');
  });
});

describe('methods as RestController answers them', () => {
  it('ER-14: OPTIONS is 200 with the path’s methods in Allow, no body and no credentials needed', async () => {
    const response = await call(api, 'OPTIONS', '/_security/user/someone');
    expect(response.status).toBe(200);
    expect(response.headers.get('allow')?.split(',').sort()).toEqual(['DELETE', 'GET', 'POST', 'PUT']);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=UTF-8');
    expect(response.headers.get('x-elastic-product')).toBe('Elasticsearch');
    expect(response.text).toBe('');
  });

  it('ER-14: OPTIONS on a path without an API is 200 without Allow', async () => {
    const response = await call(api, 'OPTIONS', '/_nope');
    expect(response.status).toBe(200);
    expect(response.headers.get('allow')).toBeNull();
  });

  it('ER-14: a method the path does not serve is 405 with the allowed methods in the message and in Allow', async () => {
    const response = await call(api, 'PATCH', `${TOKEN}?pretty`, { auth: USERS.elastic });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')?.split(',').sort()).toEqual(['DELETE', 'POST']);
    expect(response.body).toEqual({
      error: expect.stringMatching(
        /^Incorrect HTTP method for uri \[\/_security\/oauth2\/token\?pretty\] and method \[PATCH\], allowed: \[(POST, DELETE|DELETE, POST)\]$/,
      ),
      status: 405,
    });
  });
});

describe('the path is routed as sent', () => {
  it.each([
    '/x/../_security/_authenticate',
    '/x/%2e%2e/_security/_authenticate',
    '/_security/./_authenticate',
    '/_security\\_authenticate',
    '/%5Fsecurity/_authenticate',
  ])('ER-15: %s names no API: 400 no handler found, quoting the uri as sent', async (path) => {
    const response = await rawRequest(api.url, {
      method: 'GET',
      path,
      authorization: ELASTIC,
      contentType: undefined,
      body: undefined,
    });
    expect(response.status).toBe(400);
    const uri = path.startsWith('/') ? path : `/${path}`;
    expect(JSON.parse(response.text)).toEqual({ error: `no handler found for uri [${uri}] and method [GET]` });
  });

  it('ER-15: the canonical path is served', async () => {
    const response = await rawRequest(api.url, {
      method: 'GET',
      path: AUTHENTICATE,
      authorization: ELASTIC,
      contentType: undefined,
      body: undefined,
    });
    expect(response.status).toBe(200);
  });
});
