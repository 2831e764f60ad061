import fc from 'fast-check';
import { IllegalArgumentError } from '../../../functions/errors';
import { applyFilterPath, parseFilterPath } from '../../../functions/http/filter-path';
import { assertKnownParameters, prettyJson, unrecognizedParametersMessage } from '../../../functions/http/rest-parameters';

const filter = (body: unknown, expression: string) => applyFilterPath(body, parseFilterPath(expression));

const TOKEN = {
  access_token: 'a',
  type: 'Bearer',
  expires_in: 1200,
  authentication: { username: 'u', roles: ['r'], authentication_realm: { name: 'default_file', type: 'file' } },
};

// Expected behaviour: Elasticsearch's "Response filtering" (common options doc), FilterPath / FilterPathBasedFilter.
describe('filter_path as Elasticsearch filters a response', () => {
  it('comma-separated paths keep what they name, dropping everything else', () => {
    expect(filter(TOKEN, 'access_token,authentication.username')).toEqual({
      access_token: 'a',
      authentication: { username: 'u' },
    });
  });

  it('* matches within a name, ** any number of levels', () => {
    expect(filter(TOKEN, 'a*_token,exp*')).toEqual({ access_token: 'a', expires_in: 1200 });
    expect(filter(TOKEN, '**.name')).toEqual({ authentication: { authentication_realm: { name: 'default_file' } } });
    expect(filter(TOKEN, 'authentication.*.type')).toEqual({ authentication: { authentication_realm: { type: 'file' } } });
  });

  it('- excludes; with inclusions too, the exclusions apply first', () => {
    expect(filter(TOKEN, '-authentication,-access_token')).toEqual({ type: 'Bearer', expires_in: 1200 });
    expect(filter(TOKEN, 'authentication.**,-authentication.roles')).toEqual({
      authentication: { username: 'u', authentication_realm: { name: 'default_file', type: 'file' } },
    });
  });

  it('arrays are transparent; nothing matched is {}', () => {
    const users = {
      users: [
        { username: 'a', roles: [] },
        { username: 'b', roles: ['x'] },
      ],
    };
    expect(filter(users, 'users.username')).toEqual({ users: [{ username: 'a' }, { username: 'b' }] });
    expect(filter(users, 'nothing')).toEqual({});
  });

  it('a run of ** levels is one **, a run of * one *, and the same path twice one path', () => {
    expect(parseFilterPath(`${'**.'.repeat(700)}name,-a.${'*'.repeat(40)}X.**.**`)).toEqual({
      includes: [['**', 'name']],
      excludes: [['a', '*X', '**']],
    });
    expect(parseFilterPath('a.b,a.b,a.b').includes).toEqual([['a', 'b']]);
  });

  it('\\. is a dot within a field name (FilterPathBuilder)', () => {
    expect(filter({ 'a.b': 1, a: { b: 2 } }, 'a\\.b')).toEqual({ 'a.b': 1 });
    expect(parseFilterPath('x\\.y.z').includes).toEqual([['x.y', 'z']]);
  });

  it('a name is kept exactly when its * pattern matches it (against a reference glob)', () => {
    const glob = fc.stringMatching(/^[ab*]{1,12}$/);
    const name = fc.stringMatching(/^[ab]{0,12}$/);
    fc.assert(
      fc.property(glob, name, (pattern, field) => {
        const reference = new RegExp(`^${pattern.replaceAll('*', '.*')}$`).test(field);
        expect(filter({ [field]: 1 }, pattern)).toEqual(reference ? { [field]: 1 } : {});
      }),
      { numRuns: 1000 },
    );
  });
});

describe('unknown query parameters, as Elasticsearch BaseRestHandler.unrecognized words them', () => {
  const refusal = (params: Record<string, string>, known: string[] = [], path: string[] = []) => {
    try {
      assertKnownParameters('/_security/user/x', params, known, path);
    } catch (error) {
      return error as IllegalArgumentError;
    }
    throw new Error('accepted');
  };

  it('one unknown parameter, with and without suggestions', () => {
    expect(refusal({ prety: '' }).message).toBe(
      'request [/_security/user/x] contains unrecognized parameter: [prety] -> did you mean [pretty]?',
    );
    expect(refusal({ foo: '1' }).message).toBe('request [/_security/user/x] contains unrecognized parameter: [foo]');
    expect(refusal({ foo: '1' })).toBeInstanceOf(IllegalArgumentError);
  });

  it('several, sorted, each with its suggestions (best first, "any of" for more than one)', () => {
    expect(unrecognizedParametersMessage('/p', ['refreshh', 'zz'], ['refresh', 'pretty'])).toBe(
      'request [/p] contains unrecognized parameters: [refreshh] -> did you mean [refresh]?, [zz]',
    );
    expect(unrecognizedParametersMessage('/p', ['humann'], ['human', 'humane'])).toBe(
      'request [/p] contains unrecognized parameter: [humann] -> did you mean any of [human, humane]?',
    );
  });

  it('the common parameters, the API own ones and its path parameter names are known', () => {
    expect(() =>
      assertKnownParameters('/p', { pretty: '', human: 'true', error_trace: 'false', filter_path: 'a', format: 'json' }, [], []),
    ).not.toThrow();
    expect(() => assertKnownParameters('/p', { refresh: 'wait_for' }, ['refresh'], [])).not.toThrow();
    expect(refusal({ refresh: 'true' }).message).toBe('request [/_security/user/x] contains unrecognized parameter: [refresh]');
    expect(refusal({ usernam: 'x' }, [], ['username']).message).toMatch(/did you mean \[username\]\?$/);
  });

  it('booleans are strict (Booleans.parseBoolean), refresh takes its policies only', () => {
    expect(refusal({ pretty: 'yes' }).message).toBe('Failed to parse value [yes] as only [true] or [false] are allowed.');
    expect(refusal({ refresh: 'now' }, ['refresh']).message).toBe('Unknown value for refresh: [now].');
    expect(refusal({ format: 'yaml' }).status).toBe(406);
  });
});

describe('pretty as Jackson DefaultPrettyPrinter writes it', () => {
  it('two-space indents, " : " between name and value, arrays on one line', () => {
    expect(prettyJson({ a: 1, b: [1, 'x'], c: {}, d: [], e: { f: null } })).toBe(
      '{\n  "a" : 1,\n  "b" : [ 1, "x" ],\n  "c" : { },\n  "d" : [ ],\n  "e" : {\n    "f" : null\n  }\n}',
    );
  });
});
