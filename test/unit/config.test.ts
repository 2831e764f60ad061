import { ConfigurationError, loadConfig, parseAccessTokenTimeout, parseTimeValue } from '../../functions/config';

describe('GT-12: access token timeout setting', () => {
  it('defaults to 20 minutes', () => {
    expect(parseAccessTokenTimeout(undefined)).toBe(20 * 60_000);
    expect(loadConfig({}).accessTokenTimeoutMs).toBe(1_200_000);
  });

  it.each([
    ['90s', 90_000],
    ['20m', 1_200_000],
    ['1h', 3_600_000],
    ['1s', 1_000],
    ['1500ms', 1_500],
    ['60m', 3_600_000],
  ])('accepts %s', (value, ms) => {
    expect(parseAccessTokenTimeout(value)).toBe(ms);
  });

  it.each(['999ms', '0s', '61m', '2h', '1d'])('refuses %s as out of the 1s..1h range, naming the setting', (value) => {
    expect(() => parseAccessTokenTimeout(value)).toThrow(ConfigurationError);
    expect(() => parseAccessTokenTimeout(value)).toThrow(/TOKEN_TIMEOUT: .*out of range.*between 1s and 1h/);
  });

  it.each(['20', 'twenty minutes', '20 min', '-5m'])('refuses %s, which is not a time value', (value) => {
    expect(() => parseTimeValue(value, 'TOKEN_TIMEOUT')).toThrow(/TOKEN_TIMEOUT: failed to parse/);
  });

  it('refuses to load a configuration with an out-of-range timeout', () => {
    expect(() => loadConfig({ TOKEN_TIMEOUT: '2h' })).toThrow(ConfigurationError);
  });

  it('refuses a shard count that is not a whole number from 1 to 256', () => {
    expect(() => loadConfig({ TOKEN_INDEX_SHARDS: '0' })).toThrow(/TOKEN_INDEX_SHARDS/);
    expect(loadConfig({ TOKEN_INDEX_SHARDS: '4' }).indexShards).toBe(4);
  });
});

describe('deployment settings', () => {
  it('IV-10: reads the invalidation budget as a time value, 20 s by default, within API Gateway 29 s', () => {
    expect(loadConfig({}).invalidationBudgetMs).toBe(20_000);
    expect(loadConfig({ INVALIDATION_BUDGET: '15s' }).invalidationBudgetMs).toBe(15_000);
    expect(loadConfig({ INVALIDATION_BUDGET: '1500ms' }).invalidationBudgetMs).toBe(1_500);
    for (const value of ['25001ms', '29s', '20', 'soon']) {
      expect(() => loadConfig({ INVALIDATION_BUDGET: value })).toThrow(/INVALIDATION_BUDGET/);
    }
  });

  it('IV-10: bounds the wait for writes in flight past the budget: 1 s by default, at most 2 s (budget + 2 s < 29 s)', () => {
    expect(loadConfig({}).invalidationDrainMs).toBe(1_000);
    expect(loadConfig({ INVALIDATION_DRAIN: '500ms' }).invalidationDrainMs).toBe(500);
    for (const value of ['3s', '2001ms', 'later']) {
      expect(() => loadConfig({ INVALIDATION_DRAIN: value })).toThrow(/INVALIDATION_DRAIN/);
    }
  });

  it('takes the secret holding the elastic password, an empty value meaning none (sam local clears it so)', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:elastic-password-AbCdEf';
    expect(loadConfig({ ELASTIC_PASSWORD_SECRET_ARN: arn }).elasticPasswordSecretArn).toBe(arn);
    expect(loadConfig({ ELASTIC_PASSWORD_SECRET_ARN: '' }).elasticPasswordSecretArn).toBeUndefined();
  });
});
