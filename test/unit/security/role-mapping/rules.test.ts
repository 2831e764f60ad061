import { ParseError } from '../../../../functions/errors';
import { matches, parseRules, rulesToJson } from '../../../../functions/security/authz/role-mapping/rules';
import { expressionModel, type UserData } from '../../../../functions/security/authz/role-mapping/user-data';

const user = (overrides: Partial<UserData> = {}): UserData => ({
  username: 'jdoe',
  groups: [],
  metadata: {},
  realmName: 'oidc1',
  ...overrides,
});

const match = (rules: unknown, data: UserData = user()) => matches(parseRules(rules), expressionModel(data));

describe('role-mapping rules grammar (RM-4, ExpressionParser)', () => {
  it.each([
    [{ unknown: {} }, 'field [unknown] is not recognised in object [rules]'],
    [{ except: { field: { username: 'x' } } }, 'field [except] is not allowed within [rules]'],
    [{ any: [{ except: { field: { username: 'x' } } }] }, 'field [except] is not allowed within [any]'],
    [{ field: { username: 'a' }, any: [] }, 'object [rules] contains multiple fields'],
    [{}, 'object [rules] does not contain any fields'],
    [{ any: { field: {} } }, 'field [any] requires an array'],
    [{ all: 'x' }, 'field [all] requires an array'],
    [{ field: { username: { a: 1 } } }, 'expected a field value but found [START_OBJECT] instead'],
    [{ field: { username: [['a']] } }, 'expected a field value but found [START_ARRAY] instead'],
    [{ field: { username: 'a', dn: 'b' } }, 'object [field] contains multiple fields'],
    [{ field: 'username' }, 'expected an object but found [VALUE_STRING] instead'],
    [[], 'expected [rules] to be an object but found [START_ARRAY] instead'],
  ])('RM-4: %j is refused: %s', (rules, message) => {
    expect(() => parseRules(rules)).toThrow(new ParseError(`failed to parse rules expression. ${message}`));
  });

  it('RM-4: a field with an empty list of values is invalid (FieldExpression)', () => {
    expect(() => parseRules({ field: { groups: [] } })).toThrow(ParseError);
  });

  it('RM-4: except is allowed directly within all, and the rules are written back as Elasticsearch shows them', () => {
    const rules = {
      all: [
        { field: { 'realm.name': 'oidc1' } },
        { except: { field: { groups: ['a', 'b'] } } },
        { any: [{ field: { n: 1.9 } }] },
      ],
    };
    expect(rulesToJson(parseRules(rules))).toEqual({
      all: [{ field: { 'realm.name': 'oidc1' } }, { except: { field: { groups: ['a', 'b'] } } }, { any: [{ field: { n: 1 } }] }],
    });
  });
});

describe('role-mapping field matching (RM-5, RM-6, ExpressionModel, FieldExpression)', () => {
  it('RM-6: exact strings are case-sensitive; any listed value may match', () => {
    expect(match({ field: { username: 'jdoe' } })).toBe(true);
    expect(match({ field: { username: 'JDOE' } })).toBe(false);
    expect(match({ field: { username: ['x', 'jdoe'] } })).toBe(true);
  });

  it('RM-6: * and ? are wildcards only in a value that has a *; /.../ is a Lucene regex', () => {
    expect(match({ field: { username: '*' } })).toBe(true);
    expect(match({ field: { username: 'j*e' } })).toBe(true);
    expect(match({ field: { username: 'j?o*' } })).toBe(true);
    expect(match({ field: { username: 'j?oe' } })).toBe(false);
    expect(match({ field: { username: 'j?oe' } }, user({ username: 'j?oe' }))).toBe(true);
    expect(match({ field: { username: '/j(d|x)o.*/' } })).toBe(true);
    expect(match({ field: { username: '/jd/' } })).toBe(false);
    expect(match({ field: { username: '/j@/' } })).toBe(true);
    expect(match({ field: { username: '/^jdoe/' } })).toBe(false);
  });

  it('RM-6: a regex using what the linear matcher leaves out, one that does not parse, or a / pattern not closed, is refused when parsed', () => {
    expect(() => parseRules({ field: { username: '/~a/' } })).toThrow(/unsupported regular expression operator/);
    expect(() => parseRules({ field: { username: '/(a/' } })).toThrow("expected ')' at position 2");
    expect(() => parseRules({ field: { username: '/a*' } })).toThrow(/must also end with '\/'/);
  });

  it('RM-6: nested quantifiers against a long groups claim are matched by an automaton, not by backtracking', () => {
    // A backtracking engine takes 2^28 steps to refuse the first one, 4 times over (a DN is tried in 4 spellings):
    // seconds, twice as long per character more.
    const rule = { field: { groups: '/(a+)+b/' } };
    expect(match(rule, user({ groups: ['a'.repeat(28), 'x'.repeat(28)] }))).toBe(false);
    expect(match(rule, user({ groups: [`${'a'.repeat(28)}b`] }))).toBe(true);
    expect(match({ field: { username: '*?*?*?*?*?*?*?*?*?*?X' } }, user({ username: 'y'.repeat(40) }))).toBe(false);
  });

  it('RM-5: realm.name and metadata.<key> are fields of the model', () => {
    const data = user({ metadata: { 'oidc(email)': 'j@example.com', level: 3, admin: true, tags: ['x', 'y'] } });
    expect(match({ field: { 'realm.name': 'oidc*' } }, data)).toBe(true);
    expect(match({ field: { 'metadata.oidc(email)': '*@example.com' } }, data)).toBe(true);
    expect(match({ field: { 'metadata.level': 3 } }, data)).toBe(true);
    expect(match({ field: { 'metadata.level': '3' } }, data)).toBe(false);
    expect(match({ field: { 'metadata.admin': true } }, data)).toBe(true);
    expect(match({ field: { 'metadata.tags': 'y' } }, data)).toBe(true);
  });

  it('RM-6: null matches a field the user does not have, and only that', () => {
    expect(match({ field: { dn: null } })).toBe(true);
    expect(match({ field: { dn: null } }, user({ dn: 'cn=jdoe,dc=example,dc=com' }))).toBe(false);
    expect(match({ field: { 'metadata.missing': null } })).toBe(true);
    expect(match({ field: { username: null } })).toBe(false);
  });

  it('RM-6: dn and groups compare as distinguished names, case-insensitively, and *,<dn> matches descendants', () => {
    const data = user({
      dn: 'CN=J Doe, OU=People, DC=Example, DC=com',
      groups: ['Admins', 'cn=ops,ou=groups,dc=example,dc=com'],
    });
    expect(match({ field: { dn: 'cn=j doe,ou=people,dc=example,dc=com' } }, data)).toBe(true);
    expect(match({ field: { dn: '*,ou=people,dc=example,dc=com' } }, data)).toBe(true);
    expect(match({ field: { dn: '*,ou=robots,dc=example,dc=com' } }, data)).toBe(false);
    expect(match({ field: { groups: 'admins' } }, data)).toBe(true);
    expect(match({ field: { groups: 'CN=OPS, OU=Groups, DC=example, DC=com' } }, data)).toBe(true);
    expect(match({ field: { groups: 'ADM*' } }, data)).toBe(true);
    expect(match({ field: { groups: 'nobody' } }, data)).toBe(false);
  });

  it('RM-6: a user without groups matches no groups rule, not even null', () => {
    expect(match({ field: { groups: '*' } })).toBe(false);
    expect(match({ field: { groups: null } })).toBe(false);
  });

  it('RM-4: any, all and except combine', () => {
    const rules = { all: [{ field: { 'realm.name': 'oidc1' } }, { except: { field: { username: 'root' } } }] };
    expect(match(rules)).toBe(true);
    expect(match(rules, user({ username: 'root' }))).toBe(false);
    expect(match({ any: [{ field: { username: 'x' } }, { field: { username: 'jdoe' } }] })).toBe(true);
    expect(match({ any: [] })).toBe(false);
    expect(match({ all: [] })).toBe(true);
  });
});
