import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Authentication, AuthenticationType, RealmRef } from '../security/authc/authentication';
import { scopeOfPair } from '../tokens/revocation';
import { userDigest } from '../tokens/scope-digest';
import { PAIR_LIFETIME_MS, type TokenPair } from '../tokens/token-pair';
import { shardOf } from '../tokens/token-string';
import { TOKEN_INDEXES, TOKENS_TABLE } from './tables';

/**
 * TTL is garbage collection only: DynamoDB deletes expired items lazily (up to days late), so every read
 * path decides expiry from createdAt. The hour of margin keeps deletion strictly after the pair's lifetime.
 */
const TTL_MARGIN_MS = 60 * 60 * 1_000;

/** The stored form of a pair. This module and the token store's are the only ones that know it. */
export interface TokenItem {
  id: string;
  accessHash: string;
  refreshHash?: string;
  createdAt: number;
  accessExpiresAt: number;
  /** TokenPair.endsAt; absent on pairs stored before the refresh lifetime was a setting (24 h). */
  endsAt?: number;
  accessInvalidated: boolean;
  refreshInvalidated: boolean;
  user: Omit<Authentication, 'authentication_type'> & { authentication_type: AuthenticationType };
  /** The user who authenticated a run-as pair (TokenPair.authenticatingUser). */
  authenticatingUser?: { readonly username: string; readonly roles: readonly string[] };
  clientUsername: string;
  clientRealm: string;
  realm: string;
  username: string;
  refreshedAt?: number;
  superseding?: string;
  /** TokenPair.refreshedFrom: the id of the pair this one was refreshed from. */
  refreshedFrom?: string;
  /** A realm's hidden token metadata (SAML-U-4): a map of strings. */
  tokenMetadata?: Record<string, string>;
  /** The InvalidationId of the request that invalidated each half. */
  accessInvalidatedBy?: string;
  refreshInvalidatedBy?: string;
  /** Sparse index keys: present only while the pair has an active half. */
  realmKey?: string;
  userKey?: string;
  /** SAML-I-4: the digest of the pair's realm and SAML session (its token metadata), for a SAML pair only. */
  samlSessionKey?: string;
  /** Epoch seconds, DynamoDB's TTL unit. */
  expiresAt: number;
}

/**
 * Attribute names, as constants for the expressions: the keys and the TTL attribute as declared in
 * tables.ts, the others as the item has them (the type makes each constant equal its property's name).
 */
export const ATTR = {
  id: TOKENS_TABLE.partitionKey.name,
  createdAt: TOKEN_INDEXES.realm.sortKey.name,
  realmKey: TOKEN_INDEXES.realm.partitionKey.name,
  userKey: TOKEN_INDEXES.username.partitionKey.name,
  samlSessionKey: TOKEN_INDEXES.samlSession.partitionKey.name,
  realm: TOKEN_INDEXES.username.projectedAttributes[0],
  expiresAt: TOKENS_TABLE.timeToLiveAttribute,
  accessHash: 'accessHash',
  refreshHash: 'refreshHash',
  accessExpiresAt: 'accessExpiresAt',
  endsAt: 'endsAt',
  accessInvalidated: 'accessInvalidated',
  refreshInvalidated: 'refreshInvalidated',
  accessInvalidatedBy: 'accessInvalidatedBy',
  refreshInvalidatedBy: 'refreshInvalidatedBy',
  refreshedAt: 'refreshedAt',
  superseding: 'superseding',
  refreshedFrom: 'refreshedFrom',
  tokenMetadata: 'tokenMetadata',
  user: 'user',
  authenticatingUser: 'authenticatingUser',
  clientUsername: 'clientUsername',
  clientRealm: 'clientRealm',
  username: 'username',
} as const satisfies { [K in keyof TokenItem]-?: K };

/** The fields a pair and its item share under the same name. */
const SHARED_FIELDS = [
  'id',
  'accessHash',
  'refreshHash',
  'createdAt',
  'accessExpiresAt',
  'endsAt',
  'accessInvalidated',
  'refreshInvalidated',
  'refreshedAt',
  'superseding',
  'refreshedFrom',
  'tokenMetadata',
  'authenticatingUser',
] as const;

type SharedFields = Pick<TokenPair, (typeof SHARED_FIELDS)[number]>;

/** The shared fields that are set, copied either way (an optional field absent stays absent). */
function sharedFieldsOf(from: SharedFields): SharedFields {
  return Object.fromEntries(
    SHARED_FIELDS.filter((name) => from[name] !== undefined).map((name) => [name, from[name]]),
  ) as unknown as SharedFields;
}

/**
 * SAML-I-4: the key of a SAML session, from the pair's realm and token metadata (NameID, its qualifiers and format,
 * the session index: every key, in a fixed order, so the pair's metadata and a LogoutRequest's agree). A digest:
 * a NameID is the IdP's and may be long. One session's pairs share a partition; a session has few pairs.
 */
export function samlSessionKeyOf(realm: string, tokenMetadata: Readonly<Record<string, string>>): string {
  const entries = Object.entries(tokenMetadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256')
    .update(JSON.stringify([realm, entries]))
    .digest('base64url');
}

export function toItem(pair: TokenPair, indexShards: number): TokenItem {
  const shard = shardOf(pair.id, indexShards);
  const { realm, username } = scopeOfPair(pair);
  return {
    ...sharedFieldsOf(pair),
    user: pair.authentication,
    clientUsername: pair.client.username,
    clientRealm: pair.client.realm,
    realm,
    username,
    realmKey: `${realm}#${shard}`,
    // The username's digest, not the name: a key holds at most 2,048 bytes, and a principal from an identity
    // provider can be longer. Pairs of the previous version hold the name (store/legacy-layout.ts).
    userKey: `${userDigest(username)}#${shard}`,
    ...(pair.tokenMetadata !== undefined && { samlSessionKey: samlSessionKeyOf(realm, pair.tokenMetadata) }),
    expiresAt: Math.ceil(((pair.endsAt ?? pair.createdAt + PAIR_LIFETIME_MS) + TTL_MARGIN_MS) / 1000),
  };
}

export function toPair(item: TokenItem): TokenPair {
  return {
    ...sharedFieldsOf(item),
    authentication: toAuthentication(item.user),
    client: { username: item.clientUsername, realm: item.clientRealm },
  };
}

function toRealmRef(value: RealmRef): RealmRef {
  return { name: value.name, type: value.type };
}

/** DynamoDB maps do not keep key order; AU-3's order is restored here. */
function toAuthentication(user: TokenItem['user']): Authentication {
  return {
    username: user.username,
    roles: [...(user.roles ?? [])],
    full_name: user.full_name ?? null,
    email: user.email ?? null,
    metadata: user.metadata ?? {},
    enabled: user.enabled,
    authentication_realm: toRealmRef(user.authentication_realm),
    lookup_realm: toRealmRef(user.lookup_realm),
    authentication_type: user.authentication_type,
  };
}

/**
 * The item a write's condition failed on (ReturnValuesOnConditionCheckFailure: ALL_OLD). The document
 * client converts replies but not errors, so the item arrives in DynamoDB's typed form.
 */
export function itemOfFailedCondition(error: unknown): TokenItem | undefined {
  if (!(error instanceof ConditionalCheckFailedException) || error.Item === undefined) return undefined;
  return unmarshall(error.Item) as TokenItem;
}
