import { IllegalArgumentError } from '../../../errors';
import type { Automaton } from './automaton';
import { MAX_CODE_POINT } from './expression';

/**
 * `Automatons.subsetOf`: whether every string `a` matches, `b` matches too. Both automatons are determinized as
 * they are walked (the subset construction, over pairs of state sets), one step for each interval of code points
 * that their classes tell apart, until a string is found that `a` accepts and `b` does not. The walk is bounded
 * by a budget of states touched, shared by every comparison one request makes: a request that would need more is
 * refused with a 400 (Lucene refuses an automaton too complex to determinize the same way), so hostile patterns
 * cost bounded work, never a backtracking search.
 */
export const MAX_PATTERN_WORK = 2_000_000;

/** What one request may spend comparing patterns; `spent` is the cost of its answers. */
export class PatternBudget {
  spent = 0;
  constructor(readonly limit = MAX_PATTERN_WORK) {}

  spend(work: number): void {
    this.spent += work;
    if (this.spent > this.limit) {
      throw new IllegalArgumentError('patterns too complex: comparing them would take too many automaton states');
    }
  }
}

/** Whether some string is accepted by `a` and, as `wanted` says, accepted or not by `b`. */
function someString(a: Automaton, b: Automaton, wantedInB: boolean, budget: PatternBudget): boolean {
  const points = [...new Set([...a.boundaries(), ...b.boundaries()])]
    .filter((point) => point <= MAX_CODE_POINT)
    .sort((x, y) => x - y);
  const seen = new Set<string>();
  const queue: [number[], number[]][] = [[a.startStates(), b.startStates()]];
  for (let next = 0; next < queue.length; next++) {
    const [inA, inB] = queue[next] as [number[], number[]];
    const key = `${inA.join(',')}|${inB.join(',')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (a.acceptsIn(inA) && b.acceptsIn(inB) === wantedInB) return true;
    for (const point of points) {
      budget.spend(inA.length + inB.length + 1);
      const nextA = a.step(inA, point);
      if (nextA.length === 0) continue;
      const nextB = b.step(inB, point);
      // Once `b` is stuck it accepts nothing more: a string of `a` that `b` must accept cannot be found here.
      if (nextB.length > 0 || !wantedInB) queue.push([nextA, nextB]);
    }
  }
  return false;
}

export const isSubsetOf = (a: Automaton, b: Automaton, budget = new PatternBudget()): boolean => !someString(a, b, false, budget);

export const intersects = (a: Automaton, b: Automaton, budget = new PatternBudget()): boolean => someString(a, b, true, budget);
