import { parseAuthorization } from '../../../functions/security/credentials';

const basic = (value: string) => `Basic ${Buffer.from(value).toString('base64')}`;

describe('Authorization header', () => {
  it('reads Basic credentials; the password may contain colons', () => {
    expect(parseAuthorization(basic('elastic:pa:ss'))).toEqual({ scheme: 'basic', username: 'elastic', password: 'pa:ss' });
  });

  it('reads a Bearer token, whatever the case of the scheme', () => {
    expect(parseAuthorization('bearer abc')).toEqual({ scheme: 'bearer', token: 'abc' });
  });

  it.each([
    ['absent', undefined],
    ['an unknown scheme', 'Digest username="x"'],
    ['a scheme alone', 'Basic'],
    ['Basic that is not base64', 'Basic !!!'],
    ['Basic without a colon', basic('elastic')],
    ['Basic with an empty username', basic(':password')],
    ['an empty Bearer', 'Bearer  '],
  ])('ER-8: treats %s as missing credentials', (_name, header) => {
    expect(parseAuthorization(header)).toBeUndefined();
  });
});
