import { ActionRequestValidationError, IllegalArgumentError, ParseError } from '../../errors';
import {
  booleanField,
  type JsonObject,
  nullableStringField,
  objectField,
  requireObject,
  stringArrayField,
  stringField,
} from '../../json/json-fields';
import { assertStorablePasswordHash } from '../authc/passwords/password-hashes';
import { hasReservedMetadata, passwordError } from '../validation';

/**
 * `PUT|POST /_security/user/{username}`, as read from its body. At most one of `password` (hashed by the
 * service) and `passwordHash` (a hash the caller computed, bcrypt or PBKDF2 as Elasticsearch stores them) is
 * set; with neither, an existing user keeps its password.
 */
export interface PutUserRequest {
  readonly username: string;
  readonly password?: string;
  readonly passwordHash?: string;
  /** Undefined when the body has no `roles`, which Elasticsearch refuses ("roles are missing"). */
  readonly roles?: readonly string[];
  readonly full_name: string | null;
  readonly email: string | null;
  readonly metadata: JsonObject;
  /** Elasticsearch's default: a put without `enabled` enables the user. */
  readonly enabled: boolean;
}

/** `POST /_security/user/{username}/_password`: a new password, or the hash of one (bcrypt or PBKDF2). */
export type ChangePasswordRequest =
  | { readonly username: string; readonly password: string }
  | { readonly username: string; readonly passwordHash: string };

function rejectOne(message: string): ActionRequestValidationError {
  return new ActionRequestValidationError([message]);
}

/** Elasticsearch checks a password while parsing, before anything else of the request. */
export function assertValidPassword(password: string): void {
  const error = passwordError(password);
  if (error !== undefined) throw rejectOne(error);
}

/**
 * `password` and `password_hash`, as put user and change password both read them: each validated as it
 * arrives, and the second of the two refused, whichever came first (Elasticsearch's text either way).
 */
class PasswordFields {
  password?: string;
  passwordHash?: string;

  read(field: 'password' | 'password_hash', value: unknown): void {
    if (field === 'password') {
      this.password = stringField(field, value);
      assertValidPassword(this.password);
    } else {
      this.passwordHash = stringField(field, value);
      assertStorablePasswordHash(this.passwordHash);
    }
    if (this.password !== undefined && this.passwordHash !== undefined) throw rejectOne('password_hash has already been set');
  }
}

/** `Strings.commaDelimitedListToStringArray`: `roles` may also be sent as `"r1,r2"`. No trimming, as in Elasticsearch. */
function commaDelimited(value: string): string[] {
  return value === '' ? [] : value.split(',');
}

/** The body of put user, field by field as `PutUserRequestBuilder.source` reads it; `rawBody` is the body as received. */
export function parsePutUserRequest(username: string, body: unknown, rawBody: string): PutUserRequest {
  const source = requireObject(body, rawBody);
  const credentials = new PasswordFields();
  let roles: string[] | undefined;
  let fullName: string | null = null;
  let email: string | null = null;
  let metadata: JsonObject = {};
  let enabled = true;
  for (const [field, value] of Object.entries(source)) {
    switch (field) {
      case 'password':
      case 'password_hash':
        credentials.read(field, value);
        break;
      case 'roles':
        roles = typeof value === 'string' ? commaDelimited(value) : stringArrayField(field, value);
        break;
      case 'full_name':
        fullName = nullableStringField(field, value);
        break;
      case 'email':
        email = nullableStringField(field, value);
        break;
      case 'metadata':
        metadata = objectField(field, value);
        break;
      case 'enabled':
        enabled = booleanField(field, value);
        break;
      case 'username':
        if (stringField(field, value) !== username) {
          throw new IllegalArgumentError(`[username] in source does not match the username provided [${username}]`);
        }
        break;
      default:
        throw new ParseError(`failed to parse add user request. unexpected field [${field}]`);
    }
  }
  const { password, passwordHash } = credentials;
  return {
    username,
    ...(password !== undefined && { password }),
    ...(passwordHash !== undefined && { passwordHash }),
    ...(roles !== undefined && { roles }),
    full_name: fullName,
    email,
    metadata,
    enabled,
  };
}

/**
 * `PutUserRequest.validate()`: checked before authorization, as every Elasticsearch request validation is.
 * The name rules (reserved, characters) are the transport action's, checked after it (NativeUsers.put).
 */
export function assertValidPutUserRequest(request: PutUserRequest): void {
  const messages: string[] = [];
  if (request.roles === undefined) messages.push('roles are missing');
  if (hasReservedMetadata(request.metadata)) messages.push('metadata keys may not start with [_]');
  if (messages.length > 0) throw new ActionRequestValidationError(messages);
}

/** The body of change password (`ChangePasswordRequestBuilder.source`), then `ChangePasswordRequest.validate()`. */
export function parseChangePasswordRequest(username: string, body: unknown, rawBody: string): ChangePasswordRequest {
  const source = requireObject(body, rawBody);
  const credentials = new PasswordFields();
  for (const [field, value] of Object.entries(source)) {
    switch (field) {
      case 'password':
      case 'password_hash':
        credentials.read(field, value);
        break;
      default:
        throw new ParseError(`failed to parse change password request. unexpected field [${field}]`);
    }
  }
  const { password, passwordHash } = credentials;
  if (passwordHash !== undefined) return { username, passwordHash };
  if (password !== undefined) return { username, password };
  throw rejectOne('password is missing');
}
