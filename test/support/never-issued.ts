/**
 * Tokens in the service's wire format (base64url of a kind byte, a 16-byte pair id and a 32-byte secret:
 * 0x01 an access token with a refresh half, 0x02 a refresh token) that no test issues: they pass the
 * decoder, so a refusal of them comes from the lookup. Written out, not built with the code under test.
 */
export const NEVER_ISSUED = {
  accessToken: 'AX08HwqbLkxdjm8KGyw9Tl_EoeDzW30paKCxwtPk9QYXKDlKW2x9jp-gscLT5PUGFw',
  refreshToken: 'An08HwqbLkxdjm8KGyw9Tl_EoeDzW30paKCxwtPk9QYXKDlKW2x9jp-gscLT5PUGFw',
} as const;

/** Not a token of the service at all (base64url of `not-a-token`): refused by the decoder. */
export const MALFORMED_TOKEN = 'bm90LWEtdG9rZW4';

/** An issued token with the last byte of its secret changed: its pair exists, its secret does not match. */
export function withOtherSecret(token: string): string {
  const bytes = Buffer.from(token, 'base64url');
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
  return bytes.toString('base64url');
}
