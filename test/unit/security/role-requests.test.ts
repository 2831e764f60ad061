import { ActionRequestValidationError, ContentParseError, ParseError } from '../../../functions/errors';
import { describeRole } from '../../../functions/security/admin/native-roles';
import { assertValidPutRoleRequest, parseRoleDescriptor } from '../../../functions/security/authz/role-requests';

/** Parsed as the handler does: the body and the text it arrived as. */
const roleDescriptor = (name: string, body: unknown) => parseRoleDescriptor(name, body, JSON.stringify(body));

function failure(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('role body (RoleDescriptor.parse)', () => {
  it('keeps every field of an Elasticsearch role as sent and drops transient_metadata', () => {
    const body = {
      cluster: ['manage_token'],
      indices: [{ names: ['logs-*'], privileges: ['read'], field_security: { grant: ['*'] } }],
      applications: [{ application: 'kibana', privileges: ['read'], resources: ['*'] }],
      run_as: ['other'],
      metadata: { version: 1 },
      transient_metadata: { enabled: false },
      description: 'Issues tokens',
    };
    const { transient_metadata: _, ...kept } = body;
    expect(roleDescriptor('token_issuer', body)).toEqual(kept);
  });

  it('reads a lone string where a string array is expected, and defaults cluster to []', () => {
    expect(roleDescriptor('r', { cluster: 'manage_token' })).toEqual({ cluster: ['manage_token'] });
    expect(roleDescriptor('r', {})).toEqual({ cluster: [] });
  });

  it.each([
    [{ clusters: ['all'] }, 'failed to parse role [r]. unexpected field [clusters]'],
    [
      { cluster: [1] },
      'failed to parse role [r]. expected field [cluster] value to be an array of strings, but found [START_ARRAY] instead',
    ],
    [
      { indices: {} },
      'failed to parse role [r]. expected field [indices] value to be an array of objects, but found [START_OBJECT] instead',
    ],
    [
      { metadata: 'x' },
      'failed to parse role [r]. expected field [metadata] value to be an object, but found [VALUE_STRING] instead',
    ],
  ])('refuses %j as a parse_exception', (body, reason) => {
    const error = failure(() => roleDescriptor('r', body));
    expect(error).toBeInstanceOf(ParseError);
    expect(error.message).toBe(reason);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'a field named %s is an unknown field, not a property every object inherits (found by the security API fuzz)',
    (field) => {
      const error = failure(() => roleDescriptor('r', JSON.parse(`{"${field}":[]}`)));
      expect(error).toBeInstanceOf(ParseError);
      expect(error.message).toBe(`failed to parse role [r]. unexpected field [${field}]`);
    },
  );
});

describe('a field given twice (found by the security API fuzz)', () => {
  it('is refused in a role body, as Elasticsearch does, instead of keeping the last value', () => {
    const raw = '{"cluster":["monitor"],"cluster":["all"]}';
    expect(failure(() => parseRoleDescriptor('r', JSON.parse(raw), raw))).toEqual(
      new ContentParseError("[1:24] Duplicate field 'cluster'"),
    );
  });

  it('is refused inside an index privilege too', () => {
    const raw = '{"indices":[{"names":["a"],"privileges":["read"],"names":["b"]}]}';
    expect(failure(() => parseRoleDescriptor('r', JSON.parse(raw), raw))).toEqual(
      new ContentParseError("[1:50] Duplicate field 'names'"),
    );
  });
});

describe('role validation (PutRoleRequest.validate)', () => {
  it('refuses to redefine the built-in superuser', () => {
    expect(failure(() => assertValidPutRoleRequest('superuser', { cluster: [] })).message).toBe(
      'Validation Failed: 1: Role [superuser] is reserved and may not be used.;',
    );
  });

  it('refuses a role name that is not valid, and reserved metadata', () => {
    const error = failure(() => assertValidPutRoleRequest(' admin', { cluster: [], metadata: { _reserved: true } }));
    expect(error).toBeInstanceOf(ActionRequestValidationError);
    expect((error as ActionRequestValidationError).messages).toEqual([
      expect.stringMatching(/^Role names must be at least 1 and no more than 507 characters\./),
      'role descriptor metadata keys may not start with [_]',
    ]);
  });

  it('refuses a description longer than 1000 characters', () => {
    expect(failure(() => assertValidPutRoleRequest('r', { cluster: [], description: 'x'.repeat(1001) })).message).toBe(
      'Validation Failed: 1: Role description must be less than 1000 characters.;',
    );
  });
});

describe('get role rendering', () => {
  it("fills in the empty keys and orders them as Elasticsearch's RoleDescriptor.toXContent", () => {
    const shown = describeRole({ name: 'r', descriptor: { description: 'd', metadata: { a: 1 }, cluster: ['monitor'] } });
    expect(shown).toEqual({
      cluster: ['monitor'],
      indices: [],
      applications: [],
      run_as: [],
      metadata: { a: 1 },
      transient_metadata: { enabled: true },
      description: 'd',
    });
    expect(Object.keys(shown)).toEqual([
      'cluster',
      'indices',
      'applications',
      'run_as',
      'metadata',
      'transient_metadata',
      'description',
    ]);
  });
});
