import fc from 'fast-check';
import { ElasticsearchError } from '../../../../functions/errors';
import { ROLE_QUERY_FIELDS, USER_QUERY_FIELDS } from '../../../../functions/security/admin/query/query-fields';
import { parseQueryRequest } from '../../../../functions/security/admin/query/query-request';
import { type QuerySource, runQuery } from '../../../../functions/security/admin/query/query-runner';
import { PatternBudget } from '../../../../functions/security/authz/patterns/subset';
import { hasPrivileges, parsePrivilegesToCheck } from '../../../../functions/security/authz/privileges/has-privileges';

/*
 * Hostile query and privilege-check bodies, generated: each is answered or refused with a 4xx of the contract,
 * never another error (a 5xx). The HTTP layer around them is fuzzed by test/robustness; this reaches the DSL's
 * corners a thousand times a run without a round trip.
 */
const allowed = fc.constantFrom('username', 'roles', 'name', 'metadata', 'metadata.a', 'full_name', 'description');
const names = fc.oneof(
  { weight: 6, arbitrary: allowed },
  { weight: 1, arbitrary: fc.constantFrom('*', 'password', '__proto__', 'constructor', 'applications.application') },
);
const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null));
const pattern = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('*', 'logs-1', 'logs-*', '?*?*?*X', '/(a+)+b/', 'app1') },
  { weight: 1, arbitrary: fc.oneof(fc.constantFrom('/[/', 'a\\', '/(a|b)*a(a|b){12}/'), fc.string({ maxLength: 10 })) },
);

const { query } = fc.letrec((tie) => ({
  query: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      term: fc.dictionary(names, fc.oneof(scalar, fc.record({ value: scalar, case_insensitive: fc.boolean() })), { maxKeys: 2 }),
    }),
    fc.record({ terms: fc.dictionary(names, fc.oneof(fc.array(scalar, { maxLength: 5 }), scalar), { maxKeys: 2 }) }),
    fc.record({ wildcard: fc.dictionary(names, fc.oneof(pattern, fc.record({ value: pattern })), { maxKeys: 1 }) }),
    fc.record({ prefix: fc.dictionary(names, scalar, { maxKeys: 1 }) }),
    fc.record({
      match: fc.dictionary(names, fc.oneof(scalar, fc.record({ query: scalar, operator: fc.constantFrom('and', 'or', 'x') })), {
        maxKeys: 1,
      }),
    }),
    fc.record({ exists: fc.record({ field: fc.oneof(names, scalar) }) }),
    fc.record({
      range: fc.dictionary(names, fc.dictionary(fc.constantFrom('gt', 'gte', 'lt', 'lte', 'relation', 'x'), scalar), {
        maxKeys: 1,
      }),
    }),
    fc.record({ ids: fc.record({ values: fc.oneof(fc.array(fc.string(), { maxLength: 3 }), scalar) }) }),
    fc.record({
      simple_query_string: fc.record({ query: scalar, fields: fc.array(fc.oneof(names, pattern), { maxLength: 3 }) }),
    }),
    fc.record({ match_all: fc.constant({}) }),
    fc.record({ fuzzy: fc.constant({}) }),
    fc.record({ nonsense: fc.constant({}) }),
    fc.record({
      bool: fc.record(
        {
          must: fc.oneof(tie('query'), fc.array(tie('query'), { maxLength: 3 })),
          should: fc.array(tie('query'), { maxLength: 3 }),
          must_not: tie('query'),
          filter: fc.array(tie('query'), { maxLength: 2 }),
          minimum_should_match: fc.oneof(fc.integer({ min: -3, max: 5 }), fc.constantFrom('50%', '-1', 'x')),
        },
        { requiredKeys: [] },
      ),
    }),
    { weight: 1, arbitrary: scalar },
  ),
}));

/** Mostly well-formed around the query, so that the query itself is what is fuzzed; sometimes not. */
const rarely = <T>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 8, arbitrary: usual }, { weight: 1, arbitrary: odd });
const body = fc.record(
  {
    query,
    from: rarely(fc.integer({ min: 0, max: 3 }), fc.oneof(fc.integer({ min: -2, max: 12_000 }), scalar)),
    size: rarely(fc.integer({ min: 0, max: 20 }), fc.oneof(fc.integer({ min: -2, max: 12_000 }), scalar)),
    sort: rarely(
      fc.array(fc.constantFrom('username', 'name', { username: 'desc' }, { name: { order: 'asc' } }), { maxLength: 2 }),
      fc.oneof(fc.array(fc.oneof(names, fc.dictionary(names, fc.constantFrom('asc', 'desc', 'up'), { maxKeys: 1 }))), scalar),
    ),
    search_after: rarely(
      fc.array(fc.constantFrom('a', 'b'), { maxLength: 1 }),
      fc.oneof(fc.array(scalar, { maxLength: 2 }), scalar),
    ),
  },
  { requiredKeys: [] },
);

const ITEMS = [
  { username: 'a', name: 'a', roles: ['r1'], full_name: 'A B', metadata: { a: 1 }, enabled: true },
  { username: 'b', name: 'b', roles: [], full_name: null, metadata: {}, enabled: false, description: 'x y' },
];
const source: QuerySource<(typeof ITEMS)[number]> = {
  noun: 'items',
  keyField: 'username',
  byKeys: async (keys) => ITEMS.filter((item) => keys.includes(item.username)),
  scan: async () => ITEMS,
  view: (item) => item,
};

/** Answered, or refused with a 4xx of the contract: nothing else. True when answered. */
async function answersOrRefuses(act: () => unknown): Promise<boolean> {
  try {
    await act();
    return true;
  } catch (error) {
    expect(error).toBeInstanceOf(ElasticsearchError);
    expect((error as ElasticsearchError).status).toBeGreaterThanOrEqual(400);
    expect((error as ElasticsearchError).status).toBeLessThan(500);
    return false;
  }
}

describe('fuzzed query bodies: answered or refused with a 4xx', () => {
  it.each([
    ['users', USER_QUERY_FIELDS],
    ['roles', ROLE_QUERY_FIELDS],
  ])('query %s: 1,000 generated bodies, a fair share of them answered', async (_name, fields) => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(body, async (generated) => {
        answered += Number(
          await answersOrRefuses(async () => {
            const raw = JSON.stringify(generated);
            await runQuery(parseQueryRequest('query_payload', fields, JSON.parse(raw), raw), source);
          }),
        );
      }),
      { numRuns: 1_000 },
    );
    expect(answered).toBeGreaterThan(50);
  });
});

describe('fuzzed privilege checks: answered or refused with a 4xx, within the pattern budget', () => {
  const privilege = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom('read', 'all', 'none', 'indices:data/*') },
    { weight: 1, arbitrary: fc.oneof(fc.constantFrom('monitor', 'cluster:admin/*', 'fly'), fc.string({ maxLength: 6 })) },
  );
  const clusterPrivilege = fc.constantFrom('monitor', 'manage', 'all', 'manage_token', 'cluster:admin/*', 'none');
  const check = fc.record(
    {
      cluster: fc.oneof(
        { weight: 6, arbitrary: fc.array(clusterPrivilege, { maxLength: 3 }) },
        { weight: 1, arbitrary: fc.oneof(fc.array(privilege), scalar) },
      ),
      index: fc.oneof(
        {
          weight: 6,
          arbitrary: fc.array(
            fc.record({
              names: fc.oneof(fc.array(pattern, { maxLength: 3 }), pattern),
              privileges: fc.array(privilege, { maxLength: 3 }),
            }),
            { maxLength: 3 },
          ),
        },
        { weight: 1, arbitrary: fc.oneof(fc.array(fc.record({ names: pattern }, { requiredKeys: [] })), scalar) },
      ),
      application: fc.array(
        fc.oneof(
          {
            weight: 6,
            arbitrary: fc.record({ application: pattern, privileges: fc.array(privilege), resources: fc.array(pattern) }),
          },
          {
            weight: 1,
            arbitrary: fc.record(
              { application: fc.oneof(pattern, scalar), privileges: fc.array(privilege), resources: fc.array(pattern) },
              { requiredKeys: [] },
            ),
          },
        ),
        { maxLength: 2 },
      ),
    },
    { requiredKeys: [] },
  );
  const roles = [
    {
      cluster: ['monitor', 'cluster:admin/xpack/*'],
      indices: [{ names: ['logs-*', '/(a|b)*b(a|b){12}/'], privileges: ['read', 'write'] }],
      applications: [{ application: 'app*', privileges: ['*'], resources: ['*'] }],
    },
  ];

  it('1,000 generated checks, a fair share of them answered', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(check, async (generated) => {
        const budget = new PatternBudget();
        answered += Number(
          await answersOrRefuses(() => {
            const raw = JSON.stringify(generated);
            return hasPrivileges('fuzz', roles, parsePrivilegesToCheck('fuzz', JSON.parse(raw), raw), budget);
          }),
        );
        expect(budget.spent).toBeLessThanOrEqual(budget.limit + 1_000);
      }),
      { numRuns: 1_000 },
    );
    expect(answered).toBeGreaterThan(50);
  });
});
