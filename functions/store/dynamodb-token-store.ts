import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { StorageUnavailableError } from '../errors';
import type { Authentication, AuthenticationType, RealmRef } from '../security/authentication';
import { PAIR_LIFETIME_MS, type TokenPair } from '../tokens/token-pair';
import type { TokenStore } from '../tokens/token-store';
import { shardOf } from '../tokens/token-string';

/**
 * TTL is garbage collection only: DynamoDB deletes expired items lazily (up to days late), so every read
 * path decides expiry from createdAt. The hour of margin keeps deletion strictly after the 24 h lifetime.
 */
const TTL_MARGIN_MS = 60 * 60 * 1_000;

/** The stored form of a pair (key names as declared in tables.ts). This file is the only one that knows them. */
interface TokenItem {
  id: string;
  accessHash: string;
  refreshHash?: string;
  createdAt: number;
  accessExpiresAt: number;
  accessInvalidated: boolean;
  refreshInvalidated: boolean;
  user: Omit<Authentication, 'authentication_type'> & { authentication_type: AuthenticationType };
  clientUsername: string;
  clientRealm: string;
  realm: string;
  username: string;
  /** Sparse index keys: present only while the pair has an active half. */
  realmKey?: string;
  userKey?: string;
  /** Epoch seconds, DynamoDB's TTL unit. */
  expiresAt: number;
}

export interface DynamoDbTokenStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly indexShards: number;
}

export class DynamoDbTokenStore implements TokenStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly indexShards: number;

  constructor(options: DynamoDbTokenStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.indexShards = options.indexShards;
  }

  async create(pair: TokenPair): Promise<void> {
    await this.send('create token pair', () =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.toItem(pair),
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      ),
    );
  }

  async get(pairId: string): Promise<TokenPair | undefined> {
    const { Item } = await this.send('read token pair', () =>
      this.client.send(new GetCommand({ TableName: this.tableName, Key: { id: pairId }, ConsistentRead: true })),
    );
    return Item === undefined ? undefined : toPair(Item as TokenItem);
  }

  private toItem(pair: TokenPair): TokenItem {
    const shard = shardOf(pair.id, this.indexShards);
    const realm = pair.authentication.authentication_realm.name;
    const username = pair.authentication.username;
    return {
      id: pair.id,
      accessHash: pair.accessHash,
      ...(pair.refreshHash !== undefined && { refreshHash: pair.refreshHash }),
      createdAt: pair.createdAt,
      accessExpiresAt: pair.accessExpiresAt,
      accessInvalidated: pair.accessInvalidated,
      refreshInvalidated: pair.refreshInvalidated,
      user: pair.authentication,
      clientUsername: pair.client.username,
      clientRealm: pair.client.realm,
      realm,
      username,
      realmKey: `${realm}#${shard}`,
      userKey: `${username}#${shard}`,
      expiresAt: Math.ceil((pair.createdAt + PAIR_LIFETIME_MS + TTL_MARGIN_MS) / 1000),
    };
  }

  /** Every storage failure becomes ER-11's 503; the SDK error is kept as the cause for the log only. */
  private async send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw new StorageUnavailableError(operation, { cause: error });
    }
  }
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

function toPair(item: TokenItem): TokenPair {
  return {
    id: item.id,
    accessHash: item.accessHash,
    ...(item.refreshHash !== undefined && { refreshHash: item.refreshHash }),
    createdAt: item.createdAt,
    accessExpiresAt: item.accessExpiresAt,
    accessInvalidated: item.accessInvalidated,
    refreshInvalidated: item.refreshInvalidated,
    authentication: toAuthentication(item.user),
    client: { username: item.clientUsername, realm: item.clientRealm },
  };
}
