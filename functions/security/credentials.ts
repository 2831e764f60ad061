/** The credentials of an `Authorization` header: Basic (realm chain) or Bearer (an access token). */
export type Credentials =
  | { readonly scheme: 'basic'; readonly username: string; readonly password: string }
  | { readonly scheme: 'bearer'; readonly token: string };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Undefined when there is no header or it cannot be used (unknown scheme, Basic that is not base64 of
 * `user:password`): ER-8 treats both as missing credentials.
 */
export function parseAuthorization(header: string | undefined): Credentials | undefined {
  if (header === undefined) return undefined;
  const space = header.indexOf(' ');
  if (space <= 0) return undefined;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return value === '' ? undefined : { scheme: 'bearer', token: value };
  if (scheme !== 'basic' || !BASE64.test(value)) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { scheme: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
