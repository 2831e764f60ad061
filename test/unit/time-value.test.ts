import { loadConfig, parseAccessTokenTimeout } from '../../functions/config';
import { parseTimeValueMs } from '../../functions/time-value';

// Expected texts and cases: Elasticsearch's TimeValue.parseTimeValue / TimeValue.parse (libs/core, org.elasticsearch.core).
describe('time values as Elasticsearch TimeValue.parseTimeValue parses them', () => {
  it.each([
    ['20S', 20_000],
    ['1H', 3_600_000],
    ['1D', 86_400_000],
    ['1500MS', 1_500],
    ['20m', 1_200_000],
    [' 20 m', 1_200_000],
    [' 20 s ', 20_000],
    ['+5s', 5_000],
    ['2000000micros', 2_000],
    ['0', 0],
    ['000', 0],
    ['-1', -1],
  ])('TimeValue: accepts %j as %d ms (units are matched case-insensitively)', (value, ms) => {
    expect(parseTimeValueMs(value, 'xpack.security.authc.token.timeout')).toBe(ms);
  });

  it.each(['1.5h', '0.5m', '1e3ms', '2.0s'])('TimeValue: refuses the fractional %j with its message', (value) => {
    expect(() => parseTimeValueMs(value, 'x')).toThrow(`failed to parse [${value}], fractional time values are not supported`);
  });

  it('TimeValue: M is not minutes (case-sensitive, as Elasticsearch keeps M for months), nor is a trailing-space m', () => {
    expect(() => parseTimeValueMs('20m ', 'S')).toThrow('with value [20m ] as a time value: unit is missing or unrecognized');
    expect(() => parseTimeValueMs('20M', 'TOKEN_TIMEOUT')).toThrow(
      'failed to parse setting [TOKEN_TIMEOUT] with value [20M] as a time value: unit is missing or unrecognized',
    );
  });

  it('TimeValue: a missing unit, a negative duration and a non-number, each with its message', () => {
    expect(() => parseTimeValueMs('20', 'S')).toThrow(
      'failed to parse setting [S] with value [20] as a time value: unit is missing or unrecognized',
    );
    expect(() => parseTimeValueMs('-5m', 'S')).toThrow(
      'failed to parse setting [S] with value [-5m] as a time value: negative durations are not supported',
    );
    expect(() => parseTimeValueMs('twentys', 'S')).toThrow('failed to parse [twentys]');
  });

  it('TOKEN_TIMEOUT=1.5h refuses the start, and 20S / 1H are the times they say', () => {
    expect(() => loadConfig({ TOKEN_TIMEOUT: '1.5h' })).toThrow(
      'TOKEN_TIMEOUT: failed to parse [1.5h], fractional time values are not supported',
    );
    expect(parseAccessTokenTimeout('20S')).toBe(20_000);
    expect(parseAccessTokenTimeout('1H')).toBe(3_600_000);
    expect(loadConfig({ INVALIDATION_BUDGET: '15S' }).invalidationBudgetMs).toBe(15_000);
    expect(() => loadConfig({ INVALIDATION_SETTLE: '-1' })).toThrow(/INVALIDATION_SETTLE: \[-1\] must not be negative/);
  });
});
