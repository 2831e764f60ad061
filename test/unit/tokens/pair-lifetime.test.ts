import { isPairExpired, PAIR_LIFETIME_MS } from '../../../functions/tokens/token-pair';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('a pair lives the shorter of the refresh lifetime now and the one it was issued with', () => {
  it('RF-1: a pair issued for 7 days lives 7 days while the setting says 7 days', () => {
    const pair = { createdAt: 0, endsAt: 7 * DAY };
    expect(isPairExpired(pair, 7 * DAY, 7 * DAY)).toBe(false);
    expect(isPairExpired(pair, 7 * DAY + 1, 7 * DAY)).toBe(true);
  });

  it('RF-1: lowering the setting ends older pairs at once', () => {
    expect(isPairExpired({ createdAt: 0, endsAt: 7 * DAY }, 2 * DAY, DAY)).toBe(true);
  });

  it('RF-1: raising the setting never revives a pair issued for less (its watermarks have expired)', () => {
    expect(isPairExpired({ createdAt: 0, endsAt: DAY }, 2 * DAY, 7 * DAY)).toBe(true);
  });

  it('RF-1: a pair stored before the setting existed lives 24 hours', () => {
    expect(isPairExpired({ createdAt: 0 }, PAIR_LIFETIME_MS, 7 * DAY)).toBe(false);
    expect(isPairExpired({ createdAt: 0 }, PAIR_LIFETIME_MS + 1, 7 * DAY)).toBe(true);
  });
});
