import { AuthenticationError } from '../../../functions/errors';
import { parseAuthorization } from '../../../functions/security/authc/credentials';

const basic = (value: string) => `Basic ${Buffer.from(value).toString('base64')}`;

describe('Authorization header', () => {
  it('reads Basic credentials; the password may contain colons', () => {
    expect(parseAuthorization(basic('elastic:pa:ss'))).toEqual({ scheme: 'basic', username: 'elastic', password: 'pa:ss' });
  });

  it('reads Basic base64 without its padding, as Java decodes it', () => {
    const unpadded = basic('elastic:x').replace(/=+$/, '');
    expect(parseAuthorization(unpadded)).toEqual({ scheme: 'basic', username: 'elastic', password: 'x' });
  });

  it('reads a Bearer token, whatever the case of the scheme', () => {
    expect(parseAuthorization('bearer abc')).toEqual({ scheme: 'bearer', token: 'abc' });
  });

  it('ER-12: Basic with an empty user name is a user nobody knows, not missing credentials', () => {
    expect(parseAuthorization(basic(':password'))).toEqual({ scheme: 'basic', username: '', password: 'password' });
  });

  it.each([
    ['absent', undefined],
    ['an unknown scheme', 'Digest username="x"'],
    ['a scheme alone', 'Basic'],
    ['an empty Bearer', 'Bearer  '],
  ])('ER-8: treats %s as missing credentials', (_name, header) => {
    expect(parseAuthorization(header)).toBeUndefined();
  });

  it.each([
    ['not base64', 'Basic !!!!', 'invalid basic authentication header encoding'],
    ['base64 with a lone last character', 'Basic YWJjZA', 'invalid basic authentication header value'],
    ['base64 with a stray last character', 'Basic YWJjZ', 'invalid basic authentication header encoding'],
    ['padding that does not complete the group', 'Basic YWJjZA=', 'invalid basic authentication header encoding'],
    ['base64 without a colon', basic('elastic'), 'invalid basic authentication header value'],
    ['nothing after the scheme', 'BASIC ', 'invalid basic authentication header value'],
  ])('ER-12: Basic %s is refused with its own reason', (_name, header, reason) => {
    expect(() => parseAuthorization(header)).toThrow(new AuthenticationError(reason));
  });
});
