/** The identity model of Elasticsearch's security layer, as the authenticate API shows it (AU-3). */

export interface RealmRef {
  readonly name: string;
  readonly type: string;
}

/** A user as a realm knows it. */
export interface User {
  readonly username: string;
  readonly roles: readonly string[];
  readonly full_name: string | null;
  readonly email: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly enabled: boolean;
}

/** `realm`: by a realm's credentials; `token`: by an access token of this service. */
export type AuthenticationType = 'realm' | 'token';

/** AU-3: the keys in the order Elasticsearch writes them. */
export interface Authentication extends User {
  readonly authentication_realm: RealmRef;
  readonly lookup_realm: RealmRef;
  readonly authentication_type: AuthenticationType;
}

export function authenticatedByRealm(user: User, realm: RealmRef): Authentication {
  return {
    username: user.username,
    roles: [...user.roles],
    full_name: user.full_name,
    email: user.email,
    metadata: { ...user.metadata },
    enabled: user.enabled,
    authentication_realm: { name: realm.name, type: realm.type },
    lookup_realm: { name: realm.name, type: realm.type },
    authentication_type: 'realm',
  };
}

/** The same identity, now carried by a token (AU-1: `authentication_type` becomes `token`). */
export function asTokenAuthentication(authentication: Authentication): Authentication {
  return { ...authentication, authentication_type: 'token' };
}

/** The client that created a token pair: only it may refresh the pair (RF-5). */
export interface TokenClient {
  readonly username: string;
  readonly realm: string;
}

export function clientOf(authentication: Authentication): TokenClient {
  return { username: authentication.username, realm: authentication.authentication_realm.name };
}
