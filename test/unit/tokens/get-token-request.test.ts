import {
  actionFor,
  assertValidTokenRequest,
  parseTokenRequest,
  type TokenRequest,
  validateTokenRequest,
} from '../../../functions/app/get-token';
import { ContentParseError, OAuth2Error } from '../../../functions/errors';

function validationFailure(request: TokenRequest): OAuth2Error {
  try {
    assertValidTokenRequest(request);
  } catch (error) {
    if (error instanceof OAuth2Error) return error;
    throw error;
  }
  throw new Error('expected a validation failure');
}

describe('get token validation', () => {
  it.each<[string, TokenRequest, string, string]>([
    [
      'GT-1: empty body',
      {},
      'unsupported_grant_type',
      'Validation Failed: 1: grant_type only supports the values: [password, _kerberos, refresh_token, client_credentials];',
    ],
    [
      'GT-1: unknown grant',
      { grant_type: 'foo' },
      'unsupported_grant_type',
      'Validation Failed: 1: grant_type only supports the values: [password, _kerberos, refresh_token, client_credentials];',
    ],
    [
      'GT-2: password without credentials',
      { grant_type: 'password' },
      'invalid_request',
      'Validation Failed: 1: username is missing;2: password is missing;',
    ],
    [
      'GT-2: password without password',
      { grant_type: 'password', username: 'u' },
      'invalid_request',
      'Validation Failed: 1: password is missing;',
    ],
    [
      'GT-2: empty strings are missing',
      { grant_type: 'password', username: '', password: '' },
      'invalid_request',
      'Validation Failed: 1: username is missing;2: password is missing;',
    ],
    [
      'GT-2: refresh_token with password',
      { grant_type: 'password', username: 'u', password: 'p', refresh_token: 'r' },
      'unsupported_grant_type',
      'Validation Failed: 1: refresh_token is not supported with the password grant_type;',
    ],
    [
      'GT-2: unsupported fields come before missing ones, in order',
      { grant_type: 'password', refresh_token: '', kerberos_ticket: 'k' },
      'unsupported_grant_type',
      'Validation Failed: 1: kerberos_ticket is not supported with the password grant_type;2: refresh_token is not supported with the password grant_type;3: username is missing;4: password is missing;',
    ],
    [
      'GT-3: _kerberos without ticket',
      { grant_type: '_kerberos' },
      'invalid_request',
      'Validation Failed: 1: kerberos_ticket is missing;',
    ],
    [
      'GT-3: _kerberos with credentials',
      { grant_type: '_kerberos', username: 'u', password: 'p', refresh_token: 'r' },
      'unsupported_grant_type',
      'Validation Failed: 1: username is not supported with the _kerberos grant_type;2: password is not supported with the _kerberos grant_type;3: refresh_token is not supported with the _kerberos grant_type;4: kerberos_ticket is missing;',
    ],
    [
      'GT-4: refresh_token without token',
      { grant_type: 'refresh_token' },
      'invalid_request',
      'Validation Failed: 1: refresh_token is missing;',
    ],
    [
      'GT-4: refresh_token with other fields',
      { grant_type: 'refresh_token', username: 'u', password: 'p', kerberos_ticket: 'k', refresh_token: 'r' },
      'unsupported_grant_type',
      'Validation Failed: 1: username is not supported with the refresh_token grant_type;2: password is not supported with the refresh_token grant_type;3: kerberos_ticket is not supported with the refresh_token grant_type;',
    ],
    [
      'GT-5: client_credentials with username and password',
      { grant_type: 'client_credentials', username: 'u', password: 'p' },
      'unsupported_grant_type',
      'Validation Failed: 1: username is not supported with the client_credentials grant_type;2: password is not supported with the client_credentials grant_type;',
    ],
    [
      'GT-5: an empty field is still present',
      { grant_type: 'client_credentials', refresh_token: '' },
      'unsupported_grant_type',
      'Validation Failed: 1: refresh_token is not supported with the client_credentials grant_type;',
    ],
  ])('%s', (_name, request, code, description) => {
    const error = validationFailure(request);
    expect(error.code).toBe(code);
    expect(error.description).toBe(description);
  });

  it.each<TokenRequest>([
    { grant_type: 'password', username: 'u', password: 'p' },
    { grant_type: 'client_credentials' },
    { grant_type: 'refresh_token', refresh_token: 'r' },
    { grant_type: '_kerberos', kerberos_ticket: 'k' },
  ])('accepts a well-formed %o', (request) => {
    expect(validateTokenRequest(request)).toEqual([]);
  });

  it('GT-6: scope is never validated', () => {
    expect(validateTokenRequest({ grant_type: 'client_credentials', scope: '' })).toEqual([]);
    expect(validateTokenRequest({ grant_type: 'password', username: 'u', password: 'p', scope: 'anything at all' })).toEqual([]);
  });

  it('ER-10: a refresh needs the refresh action, every other grant the create action', () => {
    expect(actionFor({ grant_type: 'refresh_token', refresh_token: 'r' }).name).toBe(
      'cluster:admin/xpack/security/token/refresh',
    );
    expect(actionFor({ grant_type: 'client_credentials' }).name).toBe('cluster:admin/xpack/security/token/create');
  });
});

describe('get token body parsing', () => {
  const parse = (raw: string) => parseTokenRequest(JSON.parse(raw), raw);

  it('reads the six string fields', () => {
    expect(parse('{"grant_type":"password","username":"u","password":"p","scope":"s"}')).toEqual({
      grant_type: 'password',
      username: 'u',
      password: 'p',
      scope: 's',
    });
  });

  it('ER-6: an unknown field is an x_content_parse_exception naming the field and its position', () => {
    const raw = '{"grant_type":"password","foo":"bar"}';
    expect(() => parse(raw)).toThrow(ContentParseError);
    expect(() => parse(raw)).toThrow('[1:31] [token_request] unknown field [foo]');
  });

  it.each([
    ['{"grant_type":1}', 'VALUE_NUMBER'],
    ['{"grant_type":true}', 'VALUE_BOOLEAN'],
    ['{"grant_type":null}', 'VALUE_NULL'],
    ['{"grant_type":{}}', 'START_OBJECT'],
    ['{"grant_type":["password"]}', 'START_ARRAY'],
  ])('ER-7: %s is refused as %s', (raw, type) => {
    expect(() => parse(raw)).toThrow(new RegExp(`\\[token_request\\] grant_type doesn't support values of type: ${type}$`));
  });

  it.each(['[]', '"password"', '42'])('a body %s that is not an object is an x_content_parse_exception', (raw) => {
    expect(() => parse(raw)).toThrow(ContentParseError);
  });
});

describe('duplicate fields', () => {
  const parse = (raw: string) => parseTokenRequest(JSON.parse(raw), raw);

  it('a field given twice is refused, as Elasticsearch does, instead of keeping the last', () => {
    expect(() => parse('{"grant_type":"password","grant_type":"client_credentials"}')).toThrow(
      new ContentParseError("[1:26] Duplicate field 'grant_type'"),
    );
  });

  it('the same name inside a nested value or a string is not a duplicate', () => {
    expect(() => parse('{"grant_type":"x","scope":"{\\"grant_type\\":1}"}')).not.toThrow();
    expect(() => parse('{"grant_type":"a\\\\","scope":"grant_type"}')).not.toThrow();
  });

  it('an escaped spelling of a name is the same name', () => {
    expect(() => parse('{"grant_type":"a","gr\\u0061nt_type":"b"}')).toThrow(/Duplicate field 'grant_type'/);
  });
});
