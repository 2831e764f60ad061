import { ActionRequestValidationError, ContentParseError, IllegalArgumentError, ParseError } from '../../../functions/errors';
import {
  assertValidPutUserRequest,
  parseChangePasswordRequest,
  parsePutUserRequest,
} from '../../../functions/security/admin/user-requests';
import { STORED_PASSWORD_HASHERS } from '../../../functions/security/authc/passwords/password-hashes';

/** Parsed as the handlers do: the body and the text it arrived as. */
const putUser = (username: string, body: unknown) => parsePutUserRequest(username, body, JSON.stringify(body));
const changePassword = (username: string, body: unknown) => parseChangePasswordRequest(username, body, JSON.stringify(body));

const HASH = '$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';

function failure(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('put user body (PutUserRequestBuilder.source)', () => {
  it('reads every field; enabled defaults to true, full_name and email to null, metadata to {}', () => {
    expect(putUser('jacknich', { password: 'l0ng-r4nd0m-p@ssw0rd', roles: ['admin', 'other_role1'] })).toEqual({
      username: 'jacknich',
      password: 'l0ng-r4nd0m-p@ssw0rd',
      roles: ['admin', 'other_role1'],
      full_name: null,
      email: null,
      metadata: {},
      enabled: true,
    });
    expect(
      putUser('jacknich', {
        username: 'jacknich',
        password_hash: HASH,
        roles: 'admin,other',
        full_name: 'Jack Nicholson',
        email: 'jacknich@example.com',
        metadata: { intelligence: 7 },
        enabled: false,
      }),
    ).toEqual({
      username: 'jacknich',
      passwordHash: HASH,
      roles: ['admin', 'other'],
      full_name: 'Jack Nicholson',
      email: 'jacknich@example.com',
      metadata: { intelligence: 7 },
      enabled: false,
    });
  });

  it('reads roles sent as a comma-separated string, untrimmed as Elasticsearch does', () => {
    expect(putUser('u', { roles: 'a, b' }).roles).toEqual(['a', ' b']);
    expect(putUser('u', { roles: '' }).roles).toEqual([]);
  });

  it('refuses a password shorter than 6 characters without echoing it', () => {
    const error = failure(() => putUser('u', { password: 'abc12', roles: [] }));
    expect(error).toBeInstanceOf(ActionRequestValidationError);
    expect(error.message).toBe('Validation Failed: 1: passwords must be at least [6] characters long;');
    expect(error.message).not.toContain('abc12');
  });

  it.each([[{ password: 'secret-1', password_hash: HASH }], [{ password_hash: HASH, password: 'secret-1' }]])(
    'refuses both password and password_hash: %j',
    (body) => {
      expect(failure(() => putUser('u', body)).message).toBe('Validation Failed: 1: password_hash has already been set;');
    },
  );

  it.each([
    ['a plain string', 'not-a-hash'],
    ['a malformed PBKDF2 hash', '{PBKDF2}10000$abc$def'],
    ['a salted SHA-256 (not a stored password hash)', '{SSHA256}c2FsdHNhbHQ=aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g='],
  ])('refuses a password_hash that is %s, listing the supported algorithms', (_case, hash) => {
    const error = failure(() => putUser('u', { password_hash: hash }));
    expect(error).toBeInstanceOf(IllegalArgumentError);
    expect(error.message).toMatch(
      /^The provided password hash is not a hash or it could not be resolved to a supported hash algorithm\. The supported password hash algorithms are \[bcrypt, bcrypt4, .*, pbkdf2_stretch_1000000\]$/,
    );
  });

  it('accepts a bcrypt hash of a cost from 4 to 14 in each spelling ($2a$, $2b$, $2y$)', () => {
    for (const hash of [HASH, HASH.replace('$2a$10$', '$2b$04$'), HASH.replace('$2a$', '$2y$')]) {
      expect(putUser('u', { password_hash: hash }).passwordHash).toBe(hash);
    }
  });

  it.each([
    [{ full_name: 1 }, 'expected field [full_name] to be of type string, but found [VALUE_NUMBER] instead'],
    [{ email: true }, 'expected field [email] to be of type string, but found [VALUE_BOOLEAN] instead'],
    [{ password: 123456 }, 'expected field [password] to be of type string, but found [VALUE_NUMBER] instead'],
    [{ metadata: [] }, 'expected field [metadata] to be of type object, but found [START_ARRAY] instead'],
    [{ enabled: 'yes' }, 'expected field [enabled] to be of type boolean, but found [VALUE_STRING] instead'],
    [{ roles: null }, 'could not parse [roles] field. expected a string array but found null value instead'],
    [{ roles: {} }, 'could not parse [roles] field. expected a string array but found [START_OBJECT] value instead'],
    [
      { roles: ['a', 1] },
      'could not parse [roles] field. expected a string array but one of the value in the array is [VALUE_NUMBER]',
    ],
    [{ nickname: 'x' }, 'failed to parse add user request. unexpected field [nickname]'],
  ])('refuses %j as a parse_exception', (body, reason) => {
    const error = failure(() => putUser('u', body));
    expect(error).toBeInstanceOf(ParseError);
    expect(error.message).toBe(reason);
  });

  it('refuses a body that is not an object', () => {
    expect(failure(() => putUser('u', ['x'])).message).toBe('expected an object, but found token [START_ARRAY]');
  });

  it('refuses a username in the body that differs from the path', () => {
    const error = failure(() => putUser('alice', { username: 'bob', roles: [] }));
    expect(error).toBeInstanceOf(IllegalArgumentError);
    expect(error.message).toBe('[username] in source does not match the username provided [alice]');
  });

  it('accepts null full_name and email', () => {
    expect(putUser('u', { full_name: null, email: null, roles: [] })).toMatchObject({ full_name: null, email: null });
  });
});

describe('a field given twice (found by the security API fuzz)', () => {
  /** Parsed from the text as sent, as the handlers do: JSON.parse alone would keep the last value. */
  const fromText = <T>(parse: (username: string, body: unknown, rawBody: string) => T, raw: string) =>
    failure(() => parse('u', JSON.parse(raw), raw));

  it('is refused in a put user body, as Elasticsearch does, instead of keeping the last value', () => {
    const error = fromText(parsePutUserRequest, '{"password":"first-password","roles":[],"password":"second-password"}');
    expect(error).toEqual(new ContentParseError("[1:41] Duplicate field 'password'"));
    expect(error.message).not.toMatch(/first-password|second-password/);
  });

  it('is refused inside a value read whole, such as metadata', () => {
    expect(fromText(parsePutUserRequest, '{"roles":[],"metadata":{"a":1,\n"a":2}}')).toEqual(
      new ContentParseError("[2:1] Duplicate field 'a'"),
    );
  });

  it('is refused in a change password body', () => {
    expect(fromText(parseChangePasswordRequest, `{"password_hash":"${HASH}","password_hash":"${HASH}"}`)).toEqual(
      new ContentParseError("[1:81] Duplicate field 'password_hash'"),
    );
  });

  it('the same name in two different objects, or in a string, is not a duplicate', () => {
    const raw = '{"roles":[],"metadata":{"a":{"a":1},"b":[{"a":1},{"a":2}],"c":"\\"a\\":1"}}';
    expect(parsePutUserRequest('u', JSON.parse(raw), raw).metadata).toEqual(JSON.parse(raw).metadata);
  });
});

describe('put user validation (PutUserRequest.validate)', () => {
  it('requires roles and refuses metadata keys starting with _, in that order', () => {
    const error = failure(() => assertValidPutUserRequest(putUser('u', { metadata: { _secret: 1 } })));
    expect(error).toBeInstanceOf(ActionRequestValidationError);
    expect(error.message).toBe('Validation Failed: 1: roles are missing;2: metadata keys may not start with [_];');
  });

  it('accepts an empty role list', () => {
    expect(() => assertValidPutUserRequest(putUser('u', { roles: [] }))).not.toThrow();
  });
});

describe('change password body (ChangePasswordRequestBuilder.source)', () => {
  it('reads a password or a bcrypt hash', () => {
    expect(changePassword('u', { password: 'new-password' })).toEqual({ username: 'u', password: 'new-password' });
    expect(changePassword('u', { password_hash: HASH })).toEqual({ username: 'u', passwordHash: HASH });
  });

  it.each([
    [{}, ActionRequestValidationError, 'Validation Failed: 1: password is missing;'],
    [
      { password: '12345' },
      ActionRequestValidationError,
      'Validation Failed: 1: passwords must be at least [6] characters long;',
    ],
    [
      { password: 'abcdef', password_hash: HASH },
      ActionRequestValidationError,
      'Validation Failed: 1: password_hash has already been set;',
    ],
    [{ old_password: 'abcdef' }, ParseError, 'failed to parse change password request. unexpected field [old_password]'],
    [
      { password_hash: 'plain' },
      IllegalArgumentError,
      'The provided password hash is not a hash or it could not be resolved to a supported hash algorithm. The supported password hash algorithms are ' +
        `[${STORED_PASSWORD_HASHERS.join(', ')}]`,
    ],
  ])('refuses %j', (body, type, reason) => {
    const error = failure(() => changePassword('u', body));
    expect(error).toBeInstanceOf(type);
    expect(error.message).toBe(reason);
  });
});
