import { boundsOf, holds } from '../../../functions/tokens/pair-condition';
import {
  countHalves,
  isActive,
  PAIR_IS_ACTIVE,
  REFRESH_IS_ROTATABLE,
  wasInvalidatedBy,
} from '../../../functions/tokens/pair-rules';

/** The declared rules of IV-8 and RF-8, evaluated on pairs in hand (the storage renders the same ones). */
const NOW = 1_000_000;
const bounds = { now: NOW, createdNotBefore: NOW - 100 };
const live = {
  refreshHash: 'h',
  createdAt: NOW - 100,
  accessExpiresAt: NOW,
  accessInvalidated: false,
  refreshInvalidated: false,
};

describe('pair rules', () => {
  it('IV-8: a pair is active while either half is, each up to and including its bound', () => {
    expect(isActive(live, bounds)).toBe(true);
    expect(isActive({ ...live, accessInvalidated: true }, bounds)).toBe(true);
    expect(isActive({ ...live, refreshInvalidated: true, accessExpiresAt: NOW - 1 }, bounds)).toBe(false);
    expect(isActive({ ...live, accessInvalidated: true, createdAt: NOW - 101 }, bounds)).toBe(false);
    const { refreshHash: _, ...sole } = live;
    expect(isActive({ ...sole, accessInvalidated: true }, bounds)).toBe(false);
  });

  it('RF-8: a refresh half rotates only while active and not yet refreshed', () => {
    expect(holds(REFRESH_IS_ROTATABLE, live, bounds)).toBe(true);
    expect(holds(REFRESH_IS_ROTATABLE, { ...live, refreshedAt: NOW }, bounds)).toBe(false);
    expect(holds(REFRESH_IS_ROTATABLE, { ...live, refreshInvalidated: true }, bounds)).toBe(false);
    expect(boundsOf(REFRESH_IS_ROTATABLE)).toEqual(['createdNotBefore']);
    expect(boundsOf(PAIR_IS_ACTIVE)).toEqual(['now', 'createdNotBefore']);
    expect(() => holds(PAIR_IS_ACTIVE, { ...live, accessInvalidated: true }, { now: NOW })).toThrow('no createdNotBefore bound');
  });

  it('IV-8, IV-10: halves are counted refresh first, a half this request invalidated as its own', () => {
    const half = {
      ...live,
      accessInvalidated: true,
      accessInvalidatedBy: 'op-1',
      refreshInvalidated: true,
      refreshInvalidatedBy: 'op-2',
    };
    expect(countHalves(half, 'op-1')).toEqual({ invalidated: ['access'], previouslyInvalidated: ['refresh'] });
    expect(countHalves(live, 'op-3')).toEqual({ invalidated: ['refresh', 'access'], previouslyInvalidated: [] });
    expect(wasInvalidatedBy(half, 'op-2')).toBe(true);
    expect(wasInvalidatedBy(half, 'op-3')).toBe(false);
  });
});
