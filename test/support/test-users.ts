import {
  type Authentication,
  authenticatedByRealm,
  type RealmRef,
  type TokenClient,
  type User,
} from '../../functions/security/authc/authentication';

/**
 * A test user as the token service sees one, in process: authenticated by a realm, or the client that asks for
 * tokens. (Through the HTTP API a test user is created with putNativeUser, test/support/native-users.ts.)
 */

/** The file realm, which authenticates the users of most token tests. */
export const FILE_REALM: RealmRef = { name: 'default_file', type: 'file' };

/** `elastic` of the reserved realm: the caller that asks for the tests' tokens. */
export const ELASTIC_CLIENT: TokenClient = { username: 'elastic', realm: 'reserved' };

/** A user as a realm or the user store holds it: enabled, without roles, name, mail or metadata unless `fields` gives them. */
export function testUser(username: string, fields: Partial<User> = {}): User {
  return { username, roles: [], full_name: null, email: null, metadata: {}, enabled: true, ...fields };
}

/** `username` as `realm` authenticates it (see testUser). */
export function authenticatedUser(username: string, realm: RealmRef = FILE_REALM, fields: Partial<User> = {}): Authentication {
  return authenticatedByRealm(testUser(username, fields), realm);
}

/** `username` authenticated by the file realm named `realm` (users of several realms, for invalidation by realm). */
export const fileRealmUser = (username: string, realm: string, fields: Partial<User> = {}) =>
  authenticatedUser(username, { name: realm, type: 'file' }, fields);
