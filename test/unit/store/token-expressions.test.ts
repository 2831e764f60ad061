import {
  indexQuery,
  invalidatePairUpdate,
  PAIR_IS_ACTIVE_CONDITION,
  REFRESH_IS_ROTATABLE_CONDITION,
} from '../../../functions/store/token-expressions';

/**
 * The conditions as DynamoDB receives them, written out by hand: the rendering of the declared rules
 * (tokens/pair-rules.ts) must say what IV-8 and RF-8 say, whatever the renderer does.
 */
describe('token store expressions', () => {
  it('IV-8: a pair is active while its access half is live, or its refresh half exists, is live and younger than 24 h', () => {
    expect(PAIR_IS_ACTIVE_CONDITION).toBe(
      '(accessInvalidated = :false AND accessExpiresAt >= :now) OR ' +
        '(attribute_exists(refreshHash) AND refreshInvalidated = :false AND createdAt >= :createdNotBefore)',
    );
    expect(invalidatePairUpdate({ now: 5, createdNotBefore: 1 }, 'op')).toEqual({
      UpdateExpression:
        'SET accessInvalidated = :true, accessInvalidatedBy = if_not_exists(accessInvalidatedBy, :operation), ' +
        'refreshInvalidated = :true, refreshInvalidatedBy = if_not_exists(refreshInvalidatedBy, :operation) ' +
        'REMOVE realmKey, userKey, samlSessionKey',
      ConditionExpression: PAIR_IS_ACTIVE_CONDITION,
      ExpressionAttributeValues: { ':true': true, ':false': false, ':now': 5, ':createdNotBefore': 1, ':operation': 'op' },
    });
  });

  it('RF-8: a refresh half rotates while it exists, is live, younger than 24 h and not yet refreshed', () => {
    expect(REFRESH_IS_ROTATABLE_CONDITION).toBe(
      '(attribute_exists(refreshHash) AND refreshInvalidated = :false AND createdAt >= :createdNotBefore) AND ' +
        'attribute_not_exists(refreshedAt)',
    );
  });

  it('IV-8: a realm sweep reads the realm index, a user sweep the username index filtered on realm', () => {
    const window = { from: 1, to: 2 };
    expect(indexQuery({ realm: 'r' }, { stream: '3' }, window).input).toEqual({
      IndexName: 'realm-index',
      KeyConditionExpression: 'realmKey = :partition AND createdAt BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':partition': 'r#3', ':from': 1, ':to': 2 },
    });
    const after = { id: 'p', userKey: 'u#0', createdAt: 1 };
    expect(indexQuery({ realm: 'r', user: 'u' }, { stream: '0', after }, window).input).toEqual({
      IndexName: 'username-index',
      KeyConditionExpression: 'userKey = :partition AND createdAt BETWEEN :from AND :to',
      FilterExpression: 'realm = :realm',
      ExpressionAttributeValues: { ':partition': 'u#0', ':from': 1, ':to': 2, ':realm': 'r' },
      ExclusiveStartKey: after,
    });
  });
});
