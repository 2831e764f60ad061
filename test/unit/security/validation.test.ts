import {
  isValidName,
  MAX_NAME_LENGTH,
  passwordError,
  roleNameError,
  usernameError,
} from '../../../functions/security/validation';

const INVALID_USER_NAME =
  'User names must be at least 1 and no more than 507 characters. They can contain alphanumeric characters (a-z, A-Z, 0-9), ' +
  'spaces, punctuation, and printable symbols in the Basic Latin (ASCII) block. Leading or trailing whitespace is not allowed.';

describe('native user and role names (Elasticsearch Validation.Users / Validation.Roles)', () => {
  it.each([
    'a',
    'jacknich',
    'john.doe@example.com',
    'ops team',
    'role#1:x/y',
    '~!"$%&\'()*+,-./:;<=>?@[\\]^_`{|}',
    'x'.repeat(MAX_NAME_LENGTH),
  ])('accepts %j: printable Basic Latin, no outer spaces, at most 507 characters', (name) => {
    expect(isValidName(name)).toBe(true);
    expect(usernameError(name)).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['a leading space', ' alice'],
    ['a trailing space', 'alice '],
    ['only a space', ' '],
    ['a tab', 'al\tice'],
    ['a non-ASCII letter', 'jürgen'],
    ['a control character', 'a\u0000b'],
    ['508 characters', 'x'.repeat(MAX_NAME_LENGTH + 1)],
  ])('refuses a name with %s, with Elasticsearch message', (_case, name) => {
    expect(isValidName(name)).toBe(false);
    expect(usernameError(name)).toBe(INVALID_USER_NAME);
    expect(roleNameError(name)).toBe(INVALID_USER_NAME.replace(/^User/, 'Role'));
  });
});

describe('passwords (Validation.Users.validatePassword)', () => {
  it('refuses fewer than 6 characters and accepts 6', () => {
    expect(passwordError('12345')).toBe('passwords must be at least [6] characters long');
    expect(passwordError('')).toBe('passwords must be at least [6] characters long');
    expect(passwordError('123456')).toBeUndefined();
  });
});
