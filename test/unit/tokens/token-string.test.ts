import { digestsOf } from '../../../functions/tokens/scope-digest';
import {
  decodeToken,
  encodeToken,
  hashSecret,
  newPairId,
  newSecret,
  secretMatches,
  shardOf,
} from '../../../functions/tokens/token-string';

describe('token strings', () => {
  const id = newPairId();
  const secret = newSecret();

  it('round-trips kind, pair id and secret', () => {
    const parts = decodeToken(encodeToken('refresh', id, secret));
    expect(parts?.kind).toBe('refresh');
    expect(parts?.pairId).toBe(id);
    expect(parts?.secret.equals(secret)).toBe(true);
  });

  it('tells the access token of a pair without a refresh token (GT-8) by its kind byte', () => {
    expect(decodeToken(encodeToken('access', id, secret, true))).toMatchObject({ kind: 'access', soleHalf: true });
    expect(decodeToken(encodeToken('access', id, secret))).toMatchObject({ kind: 'access', soleHalf: false });
    expect(decodeToken(encodeToken('refresh', id, secret))).toMatchObject({ kind: 'refresh', soleHalf: false });
  });

  it("carries the digests of its pair's realm and username, and a token of the previous version none", () => {
    const scope = digestsOf({ realm: 'default_file', username: 'alice' });
    const current = encodeToken('access', id, secret, true, scope);
    expect(current).toHaveLength(108);
    expect(decodeToken(current)).toEqual({ kind: 'access', pairId: id, secret, soleHalf: true, scope });
    const previous = encodeToken('access', id, secret, true);
    expect(previous).toHaveLength(66);
    expect(Buffer.from(previous, 'base64url')[0]).toBe(0x03);
    expect(decodeToken(previous)).toEqual({ kind: 'access', pairId: id, secret, soleHalf: true });
    // A kind byte of one version with the length of the other is no token.
    const swapped = Buffer.from(current, 'base64url');
    swapped[0] = 0x03;
    expect(decodeToken(swapped.toString('base64url'))).toBeUndefined();
  });

  it('gives the two halves of a pair the same id and different strings', () => {
    const access = encodeToken('access', id, newSecret());
    const refresh = encodeToken('refresh', id, newSecret());
    expect(access).not.toBe(refresh);
    expect(decodeToken(access)?.pairId).toBe(decodeToken(refresh)?.pairId);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc$def'],
    ['too short', 'AQID'],
    ['too long', 'A'.repeat(500)],
    ['an unknown kind byte', Buffer.alloc(49, 9).toString('base64url')],
  ])('rejects a token that is %s', (_name, token) => {
    expect(decodeToken(token)).toBeUndefined();
  });

  it('rejects a non-canonical spelling of a valid token', () => {
    const token = encodeToken('access', id, secret);
    const last = token.at(-1) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // 49 bytes leave 4 unused bits in the last character: a neighbour decodes to the same bytes.
    const sibling = alphabet[alphabet.indexOf(last) ^ 1] as string;
    expect(Buffer.from(`${token.slice(0, -1)}${sibling}`, 'base64url').equals(Buffer.from(token, 'base64url'))).toBe(true);
    expect(decodeToken(`${token.slice(0, -1)}${sibling}`)).toBeUndefined();
  });

  it('stores a hash that matches only its own secret', () => {
    const hash = hashSecret(secret);
    expect(hash).not.toContain(secret.toString('base64url'));
    expect(secretMatches(secret, hash)).toBe(true);
    expect(secretMatches(newSecret(), hash)).toBe(false);
    expect(secretMatches(secret, undefined)).toBe(false);
  });

  it('spreads pair ids over every index shard', () => {
    const shards = new Set(Array.from({ length: 2_000 }, () => shardOf(newPairId(), 16)));
    expect([...shards].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });
});
