import { AuthenticationError } from '../../errors';

/** The credentials of an `Authorization` header: Basic (realm chain) or Bearer (an access token). */
export type Credentials =
  | { readonly scheme: 'basic'; readonly username: string; readonly password: string }
  | { readonly scheme: 'bearer'; readonly token: string };

/** Elasticsearch's UsernamePasswordToken matches this prefix whatever its case, space included. */
const BASIC_PREFIX = 'basic ';
/** The alphabet of Java's basic Base64 decoder, then its padding. */
const BASE64 = /^([A-Za-z0-9+/]*)(=*)$/;

/**
 * Java's `Base64.getDecoder()`: padding is optional, but when present it must complete the last group, and a
 * last group of one character cannot hold a byte.
 */
function isJavaBase64(value: string): boolean {
  const [, data, padding] = BASE64.exec(value) ?? [];
  if (data === undefined || padding === undefined) return false;
  const rest = data.length % 4;
  if (padding === '') return rest !== 1;
  return (rest === 2 && padding === '==') || (rest === 3 && padding === '=');
}

/**
 * Basic credentials as UsernamePasswordToken.extractToken reads them: a header that is Basic but unusable is
 * refused with its own reason (ER-12), while `:password` is a user with an empty name, whom no realm knows.
 */
function basicCredentials(header: string): Credentials {
  if (header.length === BASIC_PREFIX.length) throw new AuthenticationError('invalid basic authentication header value');
  const value = header.slice(BASIC_PREFIX.length).trim();
  if (!isJavaBase64(value)) throw new AuthenticationError('invalid basic authentication header encoding');
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new AuthenticationError('invalid basic authentication header value');
  return { scheme: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Undefined when there is no header or none this service reads (an unknown scheme, an empty Bearer): ER-8
 * treats both as missing credentials.
 */
export function parseAuthorization(header: string | undefined): Credentials | undefined {
  if (header === undefined) return undefined;
  if (header.slice(0, BASIC_PREFIX.length).toLowerCase() === BASIC_PREFIX) return basicCredentials(header);
  const space = header.indexOf(' ');
  if (space <= 0) return undefined;
  const value = header.slice(space + 1).trim();
  if (header.slice(0, space).toLowerCase() !== 'bearer' || value === '') return undefined;
  return { scheme: 'bearer', token: value };
}
