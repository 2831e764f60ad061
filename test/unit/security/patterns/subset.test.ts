import fc from 'fast-check';
import { IllegalArgumentError } from '../../../../functions/errors';
import { patternsAutomaton } from '../../../../functions/security/authz/patterns/automatons';
import { intersects, isSubsetOf, MAX_PATTERN_WORK, PatternBudget } from '../../../../functions/security/authz/patterns/subset';

const subset = (a: string[], b: string[], budget = new PatternBudget()) =>
  isSubsetOf(patternsAutomaton(a), patternsAutomaton(b), budget);

describe('Automatons.subsetOf: whether one set of patterns matches only what another matches', () => {
  it.each([
    [['test-1-*'], ['test-*'], true],
    [['test-*'], ['test-1-*'], false],
    [['foo'], ['f?o', 'bar'], true],
    [['/a.*b/'], ['a*'], true],
    [['a*'], ['/a.*b/'], false],
    [['indices:data/write/index*', 'indices:data/write/bulk*', 'indices:data/write/update*'], ['indices:data/write/*'], true],
    [['indices:data/read/*'], ['indices:data/write/*'], false],
    [['*'], ['*'], true],
    [[], ['x'], true],
    [['x'], [], false],
  ])('%j ⊆ %j is %s', (a, b, expected) => {
    expect(subset(a, b)).toBe(expected);
  });

  it('intersects: a pattern over security actions meets manage_security, not monitor', () => {
    const security = patternsAutomaton(['cluster:admin/xpack/security/*']);
    expect(intersects(patternsAutomaton(['cluster:admin/*']), security)).toBe(true);
    expect(intersects(patternsAutomaton(['cluster:monitor/*']), security)).toBe(false);
  });

  it('agrees with matching: a literal is a subset exactly when the patterns match it', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[ab*?]{0,6}$/), fc.stringMatching(/^[ab]{0,6}$/), (pattern, literal) => {
        // The literal holds only a and b: no wildcard character to escape.
        expect(subset([literal], [pattern])).toBe(patternsAutomaton([pattern]).matches(literal));
      }),
      { numRuns: 500 },
    );
  });

  it('a comparison whose determinized automaton explodes is refused with a 400, its work bounded by the budget', () => {
    const budget = new PatternBudget();
    expect(() => subset(['/(a|b)*a(a|b){20}/'], ['/(a|b)*b(a|b){20}/'], budget)).toThrow(IllegalArgumentError);
    expect(budget.spent).toBeLessThanOrEqual(MAX_PATTERN_WORK + 1_000);
  });

  it('star-question runs that backtrack elsewhere are compared with little work', () => {
    const budget = new PatternBudget();
    expect(subset([`${'*?'.repeat(200)}X`], ['*X'], budget)).toBe(true);
    expect(budget.spent).toBeLessThan(MAX_PATTERN_WORK);
  });

  it('one budget is shared by every comparison of a request: many cheap ones add up to the same bound', () => {
    const budget = new PatternBudget(10_000);
    expect(() => {
      for (let i = 0; i < 10_000; i++) subset([`index-${i}-*`], ['index-*'], budget);
    }).toThrow(IllegalArgumentError);
    expect(budget.spent).toBeLessThanOrEqual(10_000 + 1_000);
  });
});
