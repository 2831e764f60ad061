/**
 * The tables, declared once. The CDK stack, the local bootstrap and the tests all build from these
 * definitions, so a key or index cannot drift between what is deployed and what is tested.
 */

export type AttributeType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  readonly name: string;
  readonly type: AttributeType;
}

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  /** KEYS_ONLY when empty; INCLUDE with these attributes otherwise. */
  readonly projectedAttributes: readonly string[];
}

export interface TableDefinition {
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly timeToLiveAttribute?: string;
  readonly indexes: readonly IndexDefinition[];
}

/**
 * Tokens: one item per token pair, keyed by the pair id that both token strings carry.
 *
 * Both indexes are sparse: their partition-key attributes exist only while the pair has an active half
 * and are removed by the invalidation that leaves none, so realm- and user-wide invalidation read only
 * live pairs. Their keys are `<realm>#<shard>` / `<username digest>#<shard>` (the digest: a key holds at most
 * 2,048 bytes, a principal from an identity provider can be longer): a realm has few values, and one
 * index partition takes about 1,000 writes/s, which would otherwise throttle token creation.
 * Keys-only projections keep each index write at 1 WCU; the username index also carries the realm so
 * `username` + `realm_name` can be filtered without reading the table.
 */
export const TOKEN_INDEXES = {
  realm: {
    indexName: 'realm-index',
    partitionKey: { name: 'realmKey', type: 'S' },
    sortKey: { name: 'createdAt', type: 'N' },
    projectedAttributes: [],
  },
  username: {
    indexName: 'username-index',
    partitionKey: { name: 'userKey', type: 'S' },
    sortKey: { name: 'createdAt', type: 'N' },
    projectedAttributes: ['realm'],
  },
  /**
   * SAML-I-4: the pairs of one SAML session (realm, NameID and session index: the pair's token metadata), keyed
   * by a digest of them, so an IdP-initiated logout reads its session's pairs and no other. Sparse twice over:
   * only SAML pairs have the key, and it leaves with the other index keys when the pair has no active half.
   */
  samlSession: {
    indexName: 'saml-session-index',
    partitionKey: { name: 'samlSessionKey', type: 'S' },
    sortKey: { name: 'createdAt', type: 'N' },
    projectedAttributes: [],
  },
} as const satisfies Record<string, IndexDefinition>;

/** Literal types (`as const`): the token store's attribute names and queries are typed from this declaration. */
export const TOKENS_TABLE = {
  partitionKey: { name: 'id', type: 'S' },
  timeToLiveAttribute: 'expiresAt',
  indexes: [TOKEN_INDEXES.realm, TOKEN_INDEXES.username, TOKEN_INDEXES.samlSession],
} as const satisfies TableDefinition;

/**
 * Users of the native realm (`default_native`, DESIGN §4): one item per user, keyed by the username, so
 * authenticating a user is one strongly consistent GetItem.
 */
export const USERS_TABLE: TableDefinition = {
  partitionKey: { name: 'username', type: 'S' },
  indexes: [],
};

/**
 * Native roles (the role API), keyed by the role name. A table of their own rather than a key prefix in
 * the users table: user and role names share one alphabet (all printable ASCII, `#` and `:` included), so
 * any prefix could collide with a real name; listing users or roles stays a Scan of one kind of item; and
 * the grants can differ (the user API never writes roles, authorization only reads them).
 */
export const ROLES_TABLE: TableDefinition = {
  partitionKey: { name: 'name', type: 'S' },
  indexes: [],
};

/**
 * Role mappings (RM-1), keyed by the mapping name: a table of their own, for the reasons the roles have
 * one, and because the SSO realms read all of them (a Scan) at every login.
 */
export const ROLE_MAPPINGS_TABLE: TableDefinition = {
  partitionKey: { name: 'name', type: 'S' },
  indexes: [],
};

/** What CreateTable needs (local bootstrap and tests); the CDK stack maps the same definition. */
export function createTableInput(definition: TableDefinition, tableName: string) {
  const attributes = new Map<string, AttributeType>();
  const keySchema = (pk: KeyAttribute, sk?: KeyAttribute) => {
    attributes.set(pk.name, pk.type);
    if (sk) attributes.set(sk.name, sk.type);
    return [
      { AttributeName: pk.name, KeyType: 'HASH' as const },
      ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
    ];
  };
  const tableKeys = keySchema(definition.partitionKey, definition.sortKey);
  const indexes = definition.indexes.map((index) => ({
    IndexName: index.indexName,
    KeySchema: keySchema(index.partitionKey, index.sortKey),
    Projection:
      index.projectedAttributes.length === 0
        ? { ProjectionType: 'KEYS_ONLY' as const }
        : { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.projectedAttributes] },
  }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    KeySchema: tableKeys,
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    ...(indexes.length > 0 && { GlobalSecondaryIndexes: indexes }),
  };
}
