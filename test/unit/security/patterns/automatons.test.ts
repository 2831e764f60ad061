import fc from 'fast-check';
import { IllegalArgumentError } from '../../../../functions/errors';
import {
  type Automaton,
  patternAutomaton,
  regexAutomaton,
  wildcardAutomaton,
} from '../../../../functions/security/authz/patterns/automatons';

/** What the automaton promises: every input character visits each state at most twice. */
const linearBound = (automaton: Automaton, input: string) => 2 * (Array.from(input).length + 1) * automaton.size;

// Patterns that take a backtracking engine exponential time in the input's length.
const HOSTILE: readonly [string, string][] = [
  ['/(a+)+b/', 'a'.repeat(5000)],
  ['/(a|a)*b/', 'a'.repeat(5000)],
  ['/(a*)*b/', 'a'.repeat(5000)],
  ['/((a+)+)+c/', `${'a'.repeat(5000)}!`],
  ['/(.*a){20}/', `${'a'.repeat(5000)}b`],
  [`cluster:${'*?'.repeat(9)}X*`, `cluster:${'admin/'.repeat(1000)}`],
  [`${'*a'.repeat(200)}X`, 'a'.repeat(5000)],
];

describe('security patterns match in linear time (Automatons, as Lucene automatons do)', () => {
  it.each(HOSTILE)('%s against a long input: no match, in at most 2 × (length + 1) × states steps', (pattern, input) => {
    const automaton = patternAutomaton(pattern);
    const { matched, work } = automaton.run(input);
    expect(matched).toBe(false);
    expect(work).toBeLessThanOrEqual(linearBound(automaton, input));
  });

  it('the work grows with the input linearly, never exponentially: (a+)+b over 28 and 2,800 characters', () => {
    const automaton = regexAutomaton('(a+)+b');
    const short = automaton.run('a'.repeat(28)).work;
    const long = automaton.run('a'.repeat(2800)).work;
    expect(long).toBeLessThanOrEqual(101 * short);
  });

  it('any pattern of the shared syntax, on any input: the bound holds, and the answer is a whole-string match', () => {
    const atom = fc.constantFrom('a', 'b', '.', '(a|b)', '(ab)', '[ab]', '[^a]', '()');
    const suffix = fc.constantFrom('', '*', '+', '?', '{2}', '{1,3}');
    const regex = fc
      .array(fc.tuple(atom, suffix), { minLength: 1, maxLength: 8 })
      .map((parts) => parts.map(([a, s]) => a + s).join(''));
    fc.assert(
      fc.property(regex, fc.stringMatching(/^[abc]{0,30}$/), (source, input) => {
        const automaton = regexAutomaton(source);
        const { matched, work } = automaton.run(input);
        expect(work).toBeLessThanOrEqual(linearBound(automaton, input));
        // A reference over a syntax JavaScript reads alike, built here in the test from the generated pattern.
        expect(matched).toBe(new RegExp(`^(?:${source})$`, 's').test(input));
      }),
      { numRuns: 500 },
    );
  });
});

describe("Lucene's RegExp syntax, as Elasticsearch compiles a /.../ pattern", () => {
  it.each([
    ['/user[0-9]+/', 'user12', true],
    ['/user[0-9]+/', 'xuser12', false],
    ['/j@/', 'jdoe', true],
    ['/^jdoe/', 'jdoe', false],
    ['/^jdoe$/', '^jdoe$', true],
    ['/a{2,3}/', 'aaaa', false],
    ['/a{2,}/', 'aaaaa', true],
    ['/[^a-c]x/', 'dx', true],
    ['/\\d+\\s\\w/', '12 _', true],
    ['/\\D/', '1', false],
    ['/"a.b"/', 'axb', false],
    ['/"a.b"/', 'a.b', true],
    ['/#|x/', 'x', true],
    ['/#/', '', false],
    ['//', '', true],
    ['/*a/', '*a', true],
    ['/.{3}/', '😀ab', true],
  ])('%s against %j is %s', (pattern, input, expected) => {
    expect(patternAutomaton(pattern).matches(input)).toBe(expected);
  });

  it.each([
    ['/[/', 'unexpected end-of-string'],
    ['/a{/', 'integer expected at position 2'],
    ['/a{1/', "expected '}' at position 3"],
    ['/(a/', "expected ')' at position 2"],
    ['/a)/', 'end-of-string expected at position 1'],
    ['/\\q/', 'invalid character class \\q'],
    ['/[b-a]/', 'invalid range: from (98) cannot be > to (97)'],
    ['/"ab/', `expected '"' at position 3`],
    ['/~a/', 'unsupported regular expression operator [~] in [~a]'],
    ['/a&b/', 'unsupported regular expression operator [&] in [a&b]'],
    ['/<1-5>/', 'unsupported regular expression operator [<] in [<1-5>]'],
    ['/(a{1000}){1000}/', 'pattern too complex: its automaton would have more than 100000 states'],
    [`/${'('.repeat(60)}a${')'.repeat(60)}/`, 'regular expression nested deeper than 50 levels'],
    ['/abc', "invalid pattern [/abc]. patterns starting with '/' indicate regular expression pattern"],
  ])("%s is refused: %s (Lucene's message where it has one)", (pattern, message) => {
    expect(() => patternAutomaton(pattern)).toThrow(IllegalArgumentError);
    expect(() => patternAutomaton(pattern)).toThrow(message);
  });
});

describe('wildcard patterns (Automatons.wildcard)', () => {
  it.each([
    ['*', '', true],
    ['user?', 'user1', true],
    ['user?', 'user12', false],
    ['a\\*', 'a*', true],
    ['a\\*', 'ab', false],
    ['a.b', 'aXb', false],
    ['a**b', 'ab', true],
  ])('%s against %j is %s', (pattern, input, expected) => {
    expect(wildcardAutomaton(pattern).matches(input)).toBe(expected);
  });

  it('a run of * is one state, so that 10,000 of them cost what one does', () => {
    expect(wildcardAutomaton(`${'*'.repeat(10_000)}X`).size).toBe(wildcardAutomaton('*X').size);
  });
});
