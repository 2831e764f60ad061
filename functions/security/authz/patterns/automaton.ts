import { IllegalArgumentError } from '../../../errors';
import type { Expression } from './expression';

/**
 * A pattern as a Thompson automaton, run by following every state it can be in at once: each input character
 * visits each state at most once, so a match costs at most (input length + 1) × states steps, whatever the
 * pattern, where a backtracking engine can take exponential time (`(a+)+b`, `*?*?*?...X`). Elasticsearch gets
 * the same guarantee from determinized Lucene automatons.
 */

/** Bounds what `{n,m}` repeats can make of a short pattern (Lucene bounds determinizing the same way). */
const MAX_STATES = 100_000;

const CLASS = 0;
const SPLIT = 1;
const ACCEPT = 2;

export interface MatchRun {
  readonly matched: boolean;
  /** States visited: the cost of the match, at most 2 × (input length + 1) × `size`. */
  readonly work: number;
}

export class Automaton {
  private readonly kinds: number[] = [];
  private readonly ranges: (readonly number[])[] = [];
  private readonly negated: boolean[] = [];
  /** A class state's successor, or a split state's (in `splits`). */
  private readonly out: number[] = [];
  private readonly splits: number[][] = [];
  private readonly start: number;

  constructor(expression: Expression) {
    this.start = this.compile(expression, this.add(ACCEPT));
  }

  /** Number of states: the factor of a match's cost besides the input's length. */
  get size(): number {
    return this.kinds.length;
  }

  matches(input: string): boolean {
    return this.run(input).matched;
  }

  run(input: string): MatchRun {
    const marks = new Int32Array(this.size).fill(-1);
    let work = 0;
    const stack: number[] = [];
    const enter = (state: number, into: number[], generation: number): void => {
      stack.push(state);
      while (stack.length > 0) {
        const s = stack.pop() as number;
        if (marks[s] === generation) continue;
        marks[s] = generation;
        work++;
        if (this.kinds[s] === SPLIT) stack.push(...(this.splits[s] as number[]));
        else into.push(s);
      }
    };
    let current: number[] = [];
    enter(this.start, current, 0);
    let generation = 0;
    for (const c of input) {
      const codePoint = c.codePointAt(0) as number;
      const next: number[] = [];
      generation++;
      for (const s of current) {
        work++;
        if (this.kinds[s] === CLASS && this.accepts(s, codePoint)) enter(this.out[s] as number, next, generation);
      }
      current = next;
      if (current.length === 0) break;
    }
    return { matched: current.some((s) => this.kinds[s] === ACCEPT), work };
  }

  /** The states the automaton is in before reading anything (for stepping it by hand, as subset.ts does). */
  startStates(): number[] {
    return this.closure([this.start]);
  }

  /** The states after reading `codePoint` in `states`; empty when no state reads it. */
  step(states: readonly number[], codePoint: number): number[] {
    const targets = states.filter((s) => this.kinds[s] === CLASS && this.accepts(s, codePoint)).map((s) => this.out[s] as number);
    return this.closure(targets);
  }

  acceptsIn(states: readonly number[]): boolean {
    return states.some((s) => this.kinds[s] === ACCEPT);
  }

  /**
   * The code points at which some state's class starts or stops: every state reads all the code points from one
   * boundary up to the next alike, so one of them stands for the whole interval.
   */
  boundaries(): number[] {
    const points = new Set<number>([0]);
    for (const ranges of this.ranges) {
      for (let i = 0; i < ranges.length; i += 2) {
        points.add(ranges[i] as number);
        points.add((ranges[i + 1] as number) + 1);
      }
    }
    return [...points];
  }

  /** `states` and every state reachable from them without reading, splits left out, sorted. */
  private closure(states: readonly number[]): number[] {
    const seen = new Set<number>();
    const found: number[] = [];
    const stack = [...states];
    while (stack.length > 0) {
      const s = stack.pop() as number;
      if (seen.has(s)) continue;
      seen.add(s);
      if (this.kinds[s] === SPLIT) stack.push(...(this.splits[s] as number[]));
      else found.push(s);
    }
    return found.sort((x, y) => x - y);
  }

  private accepts(state: number, codePoint: number): boolean {
    const ranges = this.ranges[state] as readonly number[];
    let inside = false;
    for (let i = 0; i < ranges.length && !inside; i += 2) {
      inside = codePoint >= (ranges[i] as number) && codePoint <= (ranges[i + 1] as number);
    }
    return inside !== this.negated[state];
  }

  private add(kind: number, ranges: readonly number[] = [], negated = false): number {
    if (this.kinds.length >= MAX_STATES) {
      throw new IllegalArgumentError(`pattern too complex: its automaton would have more than ${MAX_STATES} states`);
    }
    this.kinds.push(kind);
    this.ranges.push(ranges);
    this.negated.push(negated);
    this.out.push(-1);
    this.splits.push([]);
    return this.kinds.length - 1;
  }

  private split(...targets: number[]): number {
    const state = this.add(SPLIT);
    this.splits[state] = targets;
    return state;
  }

  /** The start state of `expression`, built to continue at `next` (so that no fragment needs patching). */
  private compile(expression: Expression, next: number): number {
    switch (expression.kind) {
      case 'empty':
        return next;
      case 'nothing':
        return this.add(CLASS); // a state no character leaves
      case 'anyString': {
        const loop = this.split();
        this.splits[loop] = [this.character([], true, loop), next];
        return loop;
      }
      case 'class':
        return this.character(expression.ranges, expression.negated, next);
      case 'concat':
        return expression.parts.reduceRight((continuation, part) => this.compile(part, continuation), next);
      case 'union':
        return this.split(...expression.options.map((option) => this.compile(option, next)));
      case 'repeat':
        return this.repeat(expression.expression, expression.min, expression.max, next);
    }
  }

  private character(ranges: readonly number[], negated: boolean, next: number): number {
    const state = this.add(CLASS, ranges, negated);
    this.out[state] = next;
    return state;
  }

  private repeat(expression: Expression, min: number, max: number | undefined, next: number): number {
    if (max !== undefined && min > max) return this.add(CLASS); // Lucene's repeat gives the empty language
    if (max === 0 || onlyEmpty(expression)) return next;
    let continuation = next;
    let copies = min;
    if (max === undefined) {
      // The last copy loops: `e+` is one copy of e, `e*` one copy and a way around it.
      const loop = this.split();
      const body = this.compile(expression, loop);
      this.splits[loop] = [body, next];
      if (min === 0) return loop;
      continuation = body;
      copies = min - 1;
    } else {
      for (let i = min; i < max; i++) continuation = this.split(this.compile(expression, continuation), next);
    }
    for (let i = 0; i < copies; i++) continuation = this.compile(expression, continuation);
    return continuation;
  }
}

/** Whether `expression` matches the empty string only: repeating it any number of times adds nothing. */
function onlyEmpty(expression: Expression): boolean {
  switch (expression.kind) {
    case 'empty':
      return true;
    case 'concat':
      return expression.parts.every(onlyEmpty);
    case 'union':
      return expression.options.every(onlyEmpty);
    case 'repeat':
      return expression.max === 0 || onlyEmpty(expression.expression);
    default:
      return false;
  }
}
