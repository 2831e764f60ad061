import type { Bound, PairCondition, PairStatus } from '../tokens/pair-condition';
import { PAIR_IS_ACTIVE, REFRESH_IS_ROTATABLE } from '../tokens/pair-rules';
import type { ScopeKey } from '../tokens/scope-digest';
import type {
  ActivityBounds,
  CreationWindow,
  HalfTarget,
  InvalidationId,
  RefreshMark,
  SweepCursor,
  TokenHalf,
} from '../tokens/token-store';
import { partitionOf } from './legacy-layout';
import { TOKEN_INDEXES, TOKENS_TABLE } from './tables';
import { ATTR, type TokenItem } from './token-items';

/*
 * The token store's DynamoDB expressions, built from the attribute-name constants (token-items.ts), the
 * table definition (tables.ts) and the declared rules (tokens/pair-rules.ts): no rule is written here again.
 */

const BOUND_VALUE: Record<Bound, string> = { now: ':now', createdNotBefore: ':createdNotBefore' };

/** A declared pair condition in DynamoDB's syntax; the bounds' values are supplied by the caller. */
function conditionOf(condition: PairCondition): string {
  if ('all' in condition) return condition.all.map(grouped).join(' AND ');
  if ('any' in condition) return condition.any.map(grouped).join(' OR ');
  if ('isFalse' in condition) return `${attributeOf(condition.isFalse)} = :false`;
  if ('present' in condition) return `attribute_exists(${attributeOf(condition.present)})`;
  if ('absent' in condition) return `attribute_not_exists(${attributeOf(condition.absent)})`;
  return `${attributeOf(condition.notBefore)} >= ${BOUND_VALUE[condition.bound]}`;
}

/** A compound part in parentheses, so its reading never depends on operator precedence. */
function grouped(part: PairCondition): string {
  return 'all' in part || 'any' in part ? `(${conditionOf(part)})` : conditionOf(part);
}

function attributeOf(field: keyof PairStatus): string {
  return ATTR[field];
}

export const PAIR_IS_ACTIVE_CONDITION = conditionOf(PAIR_IS_ACTIVE);
export const REFRESH_IS_ROTATABLE_CONDITION = conditionOf(REFRESH_IS_ROTATABLE);

const HALF_ATTRIBUTES = {
  access: { hash: ATTR.accessHash, invalidated: ATTR.accessInvalidated, invalidatedBy: ATTR.accessInvalidatedBy },
  refresh: { hash: ATTR.refreshHash, invalidated: ATTR.refreshInvalidated, invalidatedBy: ATTR.refreshInvalidatedBy },
} as const satisfies Record<TokenHalf, Record<string, keyof TokenItem>>;

/**
 * Records which request invalidated a half, keeping the first: a half invalidated earlier keeps its
 * request's id, so a repeat of a write whose reply was lost can tell its own work from another's.
 */
function recordInvalidatedBy(half: TokenHalf): string {
  const { invalidated, invalidatedBy } = HALF_ATTRIBUTES[half];
  return `${invalidated} = :true, ${invalidatedBy} = if_not_exists(${invalidatedBy}, :operation)`;
}

export const LEAVE_INDEXES = `REMOVE ${ATTR.realmKey}, ${ATTR.userKey}, ${ATTR.samlSessionKey}`;
export const ITEM_EXISTS = `attribute_exists(${ATTR.id})`;
export const ITEM_IS_NEW = `attribute_not_exists(${ATTR.id})`;

/** IV-5, IV-6: one half, if the caller holds it; a sole half leaves nothing active, so the pair leaves the indexes too. */
export function invalidateHalfUpdate(
  { half, secretHash, soleHalf }: HalfTarget,
  bounds: ActivityBounds,
  operation: InvalidationId,
) {
  return {
    UpdateExpression: `SET ${recordInvalidatedBy(half)}${soleHalf ? ` ${LEAVE_INDEXES}` : ''}`,
    // The hash proves the caller holds this half; the age makes a pair past 24 h a missing one (IV-7).
    ConditionExpression:
      `${HALF_ATTRIBUTES[half].hash} = :hash AND ${ATTR.createdAt} >= :createdNotBefore` +
      (soleHalf ? ` AND attribute_not_exists(${ATTR.refreshHash})` : ''),
    ExpressionAttributeValues: {
      ':true': true,
      ':hash': secretHash,
      ':createdNotBefore': bounds.createdNotBefore,
      ':operation': operation,
    },
  };
}

/** IV-8: both halves at once, and off the indexes (nothing active is left), if the pair is still active. */
export function invalidatePairUpdate(bounds: ActivityBounds, operation: InvalidationId) {
  return {
    UpdateExpression: `SET ${recordInvalidatedBy('access')}, ${recordInvalidatedBy('refresh')} ${LEAVE_INDEXES}`,
    ConditionExpression: PAIR_IS_ACTIVE_CONDITION,
    ExpressionAttributeValues: {
      ':true': true,
      ':false': false,
      ':now': bounds.now,
      ':createdNotBefore': bounds.createdNotBefore,
      ':operation': operation,
    },
  };
}

/** RF-6, RF-8: the mark a rotation leaves on the old pair, if its refresh half may still be rotated. */
export function markRefreshedUpdate(mark: RefreshMark) {
  return {
    UpdateExpression: `SET ${ATTR.refreshedAt} = :refreshedAt, ${ATTR.superseding} = :superseding`,
    ConditionExpression: REFRESH_IS_ROTATABLE_CONDITION,
    ExpressionAttributeValues: {
      ':refreshedAt': mark.refreshedAt,
      ':superseding': mark.superseding,
      ':false': false,
      ':createdNotBefore': mark.createdNotBefore,
    },
  };
}

/**
 * The index query of one stream of a scope. Realm only: the realm index. Username (with or without realm):
 * the username index (keyed by the user's digest), filtered on realm.
 */
export function indexQuery(scope: ScopeKey, cursor: SweepCursor, window: CreationWindow) {
  const byUser = scope.user !== undefined;
  const index = byUser ? TOKEN_INDEXES.username : TOKEN_INDEXES.realm;
  const filterOnRealm = byUser && scope.realm !== undefined;
  return {
    index,
    input: {
      IndexName: index.indexName,
      KeyConditionExpression: `${index.partitionKey.name} = :partition AND ${index.sortKey.name} BETWEEN :from AND :to`,
      ...(filterOnRealm && { FilterExpression: `${ATTR.realm} = :realm` }),
      ExpressionAttributeValues: {
        ':partition': partitionOf(cursor, (byUser ? scope.user : scope.realm) as string),
        ':from': window.from,
        ':to': window.to,
        ...(filterOnRealm && { ':realm': scope.realm }),
      },
      ...(cursor.after && { ExclusiveStartKey: cursor.after }),
    },
  };
}

type TokenIndex = (typeof TOKEN_INDEXES)[keyof typeof TOKEN_INDEXES];

/** The key of an index entry (the table's key and the index's), where a query resumes after it (ExclusiveStartKey). */
export function indexKeyOf(index: TokenIndex, entry: Record<string, unknown>): Record<string, string | number> {
  const names = [TOKENS_TABLE.partitionKey.name, index.partitionKey.name, index.sortKey.name];
  return Object.fromEntries(names.map((name) => [name, entry[name] as string | number]));
}
