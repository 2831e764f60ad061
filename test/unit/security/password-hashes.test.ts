import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { IllegalArgumentError } from '../../../functions/errors';
import { parseUsersFile } from '../../../functions/security/authc/file/file-realm';
import { hashPassword, usePasswordHashing } from '../../../functions/security/authc/passwords/bcrypt';
import {
  assertStorablePasswordHash,
  failureCostsDefaultBcrypt,
  resolveHasher,
  STORED_PASSWORD_HASHERS,
  verifyPassword,
} from '../../../functions/security/authc/passwords/password-hashes';

/** Hashes made by Elasticsearch (its REST test change_password/12_custom_hash.yml and its security tests). */
const ES_HASHES = [
  {
    password: 'pre_hashed_user2-password',
    hash: '{PBKDF2}50000$SGRCCCwQ9vz105opttTJAQ==$9FVXEWMXeiwlFTwbvkiQ6h0vN3REnWvukzWlle7ql8QosHdusRhFMBWhRjM7CLFZzq/owGhFh5BmrXRkO6IHZA==',
    hasher: 'PBKDF2_50000',
  },
  { password: 'pre_hashed_user2-password2', hash: '{PBKDF2}10000$1v0C1l5iSn0=$lPJcWRh+eOF/8ti+NOgUTQ==', hasher: 'PBKDF2' },
  {
    password: 'password1',
    hash: '{PBKDF2_STRETCH}1000$JnmgicthPZkczB8MaQeJiV6IX43h7mSfPSzESqnYYSA=$OZKH5XFNK+M65mcKal6zgugWRcpl6wUXmSQZ6hPy+iw=',
    hasher: 'PBKDF2_STRETCH_1000',
  },
];

const BCRYPT_BODY = 'N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy';
const countingCompares = () => {
  const compared: string[] = [];
  usePasswordHashing({
    compare: (password, hash) => {
      compared.push(hash);
      return bcrypt.compare(password, hash);
    },
    hash: bcrypt.hash,
  });
  return compared;
};
afterEach(() => usePasswordHashing());

function refusal(hash: string): string {
  try {
    assertStorablePasswordHash(hash);
  } catch (error) {
    expect(error).toBeInstanceOf(IllegalArgumentError);
    return (error as Error).message;
  }
  return 'accepted';
}

describe('bcrypt cost without a bound: Hasher knows costs 4 to 14 only', () => {
  it('a cost outside 4..14 is refused before any hashing: never handed to bcrypt, never a match, never stored', async () => {
    const compared = countingCompares();
    for (const [hash, name] of <[string, string][]>[
      [`$2a$31$${BCRYPT_BODY}`, 'bcrypt31'],
      [`$2b$15$${BCRYPT_BODY}`, 'bcrypt15'],
      [`$2y$03$${BCRYPT_BODY}`, 'bcrypt3'],
      [`$2a$99$${BCRYPT_BODY}`, 'bcrypt99'],
    ]) {
      expect(await verifyPassword('anything', hash)).toBe(false);
      expect(refusal(hash)).toBe(`unknown hash function [${name}]`);
      expect(parseUsersFile(`u:${hash}`).unsupportedHash).toEqual([1]);
    }
    expect(compared).toEqual([]);
  });

  it('costs 4 to 14 resolve to BCRYPT4..BCRYPT14 (10 is BCRYPT) in the $2a$, $2b$ and $2y$ spellings', () => {
    for (let cost = 4; cost <= 14; cost++) {
      for (const prefix of ['$2a$', '$2b$', '$2y$']) {
        const hash = `${prefix}${String(cost).padStart(2, '0')}$${BCRYPT_BODY}`;
        expect(resolveHasher(hash).name).toBe(cost === 10 ? 'BCRYPT' : `BCRYPT${cost}`);
        expect(refusal(hash)).toBe('accepted');
      }
    }
  });

  it('a bcrypt hash in each spelling verifies its password, and only it', async () => {
    const hash = await hashPassword('secret-password', 4);
    for (const prefix of ['$2a$', '$2b$', '$2y$']) {
      expect(await verifyPassword('secret-password', `${prefix}${hash.slice(4)}`)).toBe(true);
      expect(await verifyPassword('secret-passwore', `${prefix}${hash.slice(4)}`)).toBe(false);
    }
  });
});

describe('hash formats as Elasticsearch accepts them', () => {
  it.each(ES_HASHES)(
    '$hasher: a hash Elasticsearch made verifies its password, and only it',
    async ({ password, hash, hasher }) => {
      expect(resolveHasher(hash).name).toBe(hasher);
      expect(refusal(hash)).toBe('accepted');
      expect(await verifyPassword(password, hash)).toBe(true);
      expect(await verifyPassword(`${password}x`, hash)).toBe(false);
    },
  );

  it('PBKDF2 iterations: the six variants resolve, anything else is an unknown hash function or not a number', () => {
    const salt = 'c2FsdHNhbHQ=';
    const key = `${'a'.repeat(43)}=`;
    for (const n of [1000, 10000, 50000, 100000, 500000, 1000000]) {
      expect(refusal(`{PBKDF2}${n}$${salt}$${key}`)).toBe('accepted');
      expect(refusal(`{PBKDF2_STRETCH}${n}$${salt}$${key}`)).toBe('accepted');
    }
    expect(refusal(`{PBKDF2}2000000000$${salt}$${key}`)).toBe('unknown hash function [pbkdf2_2000000000]');
    expect(refusal(`{PBKDF2_STRETCH}1$${salt}$${key}`)).toBe('unknown hash function [pbkdf2_stretch_1]');
    // A key beyond 512 bits would cost the iterations once more per 64 bytes: not a hash this service stores.
    expect(refusal(`{PBKDF2}1000000$${salt}$${'a'.repeat(172)}==`)).not.toBe('accepted');
    expect(refusal('{PBKDF2}many$x$y')).toBe('The number of iterations could not be determined from the provided PBKDF2 hash.');
    expect(refusal('{PBKDF2}10000')).toBe('The number of iterations could not be determined from the provided PBKDF2 hash.');
  });

  it('anything else is refused with the list of the stored algorithms, as TransportChangePasswordAction words it', () => {
    const text =
      'The provided password hash is not a hash or it could not be resolved to a supported hash algorithm. ' +
      `The supported password hash algorithms are [${STORED_PASSWORD_HASHERS.join(', ')}]`;
    const sha1 = `{SHA}${createHash('sha1').update('pw').digest('base64')}`;
    for (const hash of ['som3-1ong-passw0rd', '', sha1, '{MD5}xyz', '{PBKDF2}10000$c2FsdA==$a2V5', '{pbkdf2}10000$a$b']) {
      expect(refusal(hash)).toBe(text);
    }
    expect(refusal(`$2a$10$${BCRYPT_BODY}x`)).toBe('For input string: "10$"'); // Integer.parseInt's words
    expect(refusal('$2a$10$short')).toBe('4 > -42'); // Hasher reads the cost from a range that does not exist
    expect(STORED_PASSWORD_HASHERS).toHaveLength(26);
    expect(STORED_PASSWORD_HASHERS.slice(0, 3)).toEqual(['bcrypt', 'bcrypt4', 'bcrypt5']);
  });

  it('the users file also takes SSHA256, SHA1 and MD5, which Hasher resolves, verified as Elasticsearch does', async () => {
    const salt = Buffer.from('8bytesal');
    const ssha = `{SSHA256}${salt.toString('base64')}${createHash('sha256').update('pw-1').update(salt).digest('base64')}`;
    const sha1 = `{SHA}${createHash('sha1').update('pw-2').digest('base64')}`;
    const md5 = `{MD5}${createHash('md5').update('pw-3').digest('base64')}`;
    const { users, skipped } = parseUsersFile(`a:${ssha}\nb:${sha1}\nc:${md5}\nd:clear-text-password\n`);
    expect([...users.keys()]).toEqual(['a', 'b', 'c']);
    expect(skipped).toEqual([4]);
    expect(await verifyPassword('pw-1', ssha)).toBe(true);
    expect(await verifyPassword('pw-2', sha1)).toBe(true);
    expect(await verifyPassword('pw-3', md5)).toBe(true);
    expect(await verifyPassword('pw-3', sha1)).toBe(false);
    expect(await verifyPassword('clear-text-password', 'clear-text-password')).toBe(false);
  });

  it('only a bcrypt hash at the default cost or more stands for the dummy check; a cheaper failure leaves it to the chain', () => {
    expect(failureCostsDefaultBcrypt(`$2a$10$${BCRYPT_BODY}`)).toBe(true);
    expect(failureCostsDefaultBcrypt(`$2a$12$${BCRYPT_BODY}`)).toBe(true);
    expect(failureCostsDefaultBcrypt(`$2a$04$${BCRYPT_BODY}`)).toBe(false);
    expect(failureCostsDefaultBcrypt(ES_HASHES[0]?.hash ?? '')).toBe(false);
    expect(failureCostsDefaultBcrypt(`$2a$31$${BCRYPT_BODY}`)).toBe(false);
  });
});
