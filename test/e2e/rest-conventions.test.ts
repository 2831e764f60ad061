import { USERS } from '../support/file-realm';
import { STACK_TRACE } from '../support/fuzz';
import { call, startTestApi, type TestApi } from '../support/test-api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const VND = (n: number) => `application/vnd.elasticsearch+json; compatible-with=${n}`;
const CLIENT_CREDENTIALS = JSON.stringify({ grant_type: 'client_credentials' });

describe('the common query parameters over HTTP', () => {
  it('filter_path filters a real answer (Response filtering doc), pretty writes it as Jackson does', async () => {
    const response = await call(
      api,
      'GET',
      '/_security/_authenticate?filter_path=username,authentication_realm.*,-**.type&pretty',
      {
        auth: USERS.reader,
      },
    );
    expect(response.status).toBe(200);
    expect(response.text).toBe(
      '{\n  "username" : "reader",\n  "authentication_realm" : {\n    "name" : "default_file"\n  }\n}\n',
    );
  });

  it('human and error_trace are accepted; an error never carries a stack trace', async () => {
    const response = await call(api, 'POST', '/_security/oauth2/token?error_trace=true&human', {
      auth: USERS.elastic,
      body: { grant_type: 'nope' },
    });
    expect(response.status).toBe(400);
    expect(response.text).not.toMatch(STACK_TRACE);
    expect(response.text).not.toContain('stack_trace');
    const ok = await call(api, 'GET', '/_security/_authenticate?human=true&error_trace', { auth: USERS.reader });
    expect(ok.status).toBe(200);
  });

  it('an unknown parameter is 400 illegal_argument_exception as BaseRestHandler.unrecognized words it', async () => {
    const response = await call(api, 'GET', '/_security/_authenticate?prety', { auth: USERS.reader });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      type: 'illegal_argument_exception',
      reason: 'request [/_security/_authenticate] contains unrecognized parameter: [prety] -> did you mean [pretty]?',
    });
    const token = await call(api, 'POST', '/_security/oauth2/token?refresh=true', {
      auth: USERS.elastic,
      rawBody: CLIENT_CREDENTIALS,
    });
    expect(token.body.error.reason).toBe('request [/_security/oauth2/token] contains unrecognized parameter: [refresh]');
  });

  it('refresh is taken where the REST spec declares it (put user, delete role, ...)', async () => {
    const put = await call(api, 'PUT', '/_security/user/refresher?refresh=wait_for', {
      auth: USERS.elastic,
      body: { password: 'refresher-password', roles: [] },
    });
    expect(put.status).toBe(200);
    const deleted = await call(api, 'DELETE', '/_security/user/refresher?refresh=true', { auth: USERS.elastic });
    expect(deleted.body).toEqual({ found: true });
    const users = await call(api, 'GET', '/_security/user/elastic?with_profile_uid=false', { auth: USERS.elastic });
    expect(users.status).toBe(200);
  });

  it('unknown parameters are checked after authentication, as in Elasticsearch', async () => {
    expect((await call(api, 'GET', '/_security/_authenticate?nope')).status).toBe(401);
  });
});

describe('media types over HTTP', () => {
  it.each([6, 10])('compatible-with=%d is 400 media_type_header_exception, before authentication', async (n) => {
    const response = await call(api, 'POST', '/_security/oauth2/token', {
      rawBody: CLIENT_CREDENTIALS,
      headers: { accept: VND(n), 'content-type': VND(n) },
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: {
        root_cause: [
          { type: 'media_type_header_exception', reason: 'Invalid media-type value on headers [Accept, Content-Type]' },
        ],
        type: 'media_type_header_exception',
        reason: 'Invalid media-type value on headers [Accept, Content-Type]',
        caused_by: {
          type: 'status_exception',
          reason: `Accept version must be either version 9 or 8, but found ${n}. Accept=${VND(n)}`,
        },
      },
      status: 400,
    });
  });

  it('a versioned request is answered, errors included, in the versioned type (RestResponse)', async () => {
    const ok = await call(api, 'GET', '/_security/_authenticate', { auth: USERS.reader, headers: { accept: VND(8) } });
    expect(ok.headers.get('content-type')).toBe('application/vnd.elasticsearch+json;compatible-with=8');
    const denied = await call(api, 'GET', '/_security/_authenticate', { headers: { accept: VND(9) } });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('content-type')).toBe('application/vnd.elasticsearch+json;compatible-with=9');
    const plain = await call(api, 'GET', '/_security/_authenticate', { auth: USERS.reader });
    expect(plain.headers.get('content-type')).toBe('application/json');
  });

  it('application/evil+json is 406 (not JSON by suffix), and YAML gets a clear 406, before authentication', async () => {
    const evil = await call(api, 'POST', '/_security/oauth2/token', {
      auth: USERS.elastic,
      rawBody: CLIENT_CREDENTIALS,
      headers: { 'content-type': 'application/evil+json' },
    });
    expect(evil.status).toBe(406);
    expect(evil.body).toEqual({ error: 'Content-Type header [application/evil+json] is not supported', status: 406 });
    const yaml = await call(api, 'POST', '/_security/oauth2/token', {
      rawBody: 'grant_type: client_credentials\n',
      headers: { 'content-type': 'application/yaml' },
    });
    expect(yaml.status).toBe(406);
    expect(yaml.body.error).toBe(
      'Content-Type header [application/yaml] is not supported: this service reads and writes JSON only, not YAML',
    );
  });
});
