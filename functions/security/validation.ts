/**
 * Elasticsearch's rules for native user and role names and for passwords (`Validation.Users`,
 * `Validation.Roles`, `NativeRealmValidationUtil`), with its messages word for word.
 */

/** Elasticsearch's native-realm limit: a document id is 512 bytes, less the `user-`/`role-` prefix. */
export const MAX_NAME_LENGTH = 507;
const MIN_PASSWORD_LENGTH = 6;

/** Printable Basic Latin (space to `~`), not starting or ending with a space. */
const VALID_NAME = /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/;

export function isValidName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && VALID_NAME.test(name);
}

function invalidNameMessage(kind: 'User' | 'Role'): string {
  return (
    `${kind} names must be at least 1 and no more than ${MAX_NAME_LENGTH} characters. ` +
    'They can contain alphanumeric characters (a-z, A-Z, 0-9), spaces, punctuation, and printable symbols in the ' +
    'Basic Latin (ASCII) block. Leading or trailing whitespace is not allowed.'
  );
}

/** The message for a username that is not valid, or undefined. */
export function usernameError(username: string): string | undefined {
  return isValidName(username) ? undefined : invalidNameMessage('User');
}

/** The message for a role name that is not valid, or undefined. */
export function roleNameError(name: string): string | undefined {
  return isValidName(name) ? undefined : invalidNameMessage('Role');
}

/** Java counts UTF-16 code units, as `String.length` does. */
export function passwordError(password: string): string | undefined {
  return password.length >= MIN_PASSWORD_LENGTH
    ? undefined
    : `passwords must be at least [${MIN_PASSWORD_LENGTH}] characters long`;
}

/** `_`-prefixed metadata keys are Elasticsearch's own (`_reserved`, `_deprecated`). */
export function hasReservedMetadata(metadata: Readonly<Record<string, unknown>> | undefined): boolean {
  return metadata !== undefined && Object.keys(metadata).some((key) => key.startsWith('_'));
}
