import { IllegalArgumentError } from '../../../../functions/errors';
import { compileQuery, MAX_NESTED_DEPTH } from '../../../../functions/security/admin/query/query-dsl';
import { USER_QUERY_FIELDS } from '../../../../functions/security/admin/query/query-fields';
import { parseQueryRequest } from '../../../../functions/security/admin/query/query-request';
import { MAX_KEYS, MAX_SCANNED, type QuerySource, runQuery } from '../../../../functions/security/admin/query/query-runner';

type Item = { username: string };

/** A source that counts what it is asked to read; the DynamoDB adapters are tested over HTTP (test/e2e/query-api.test.ts). */
function countingSource(items: Item[]) {
  const reads = { keys: [] as number[], scans: [] as number[] };
  const source: QuerySource<Item> = {
    noun: 'users',
    keyField: 'username',
    byKeys: async (keys) => {
      reads.keys.push(keys.length);
      return items.filter((item) => keys.includes(item.username));
    },
    scan: async (maxItems) => {
      reads.scans.push(maxItems);
      return items.slice(0, maxItems + 1);
    },
    view: (item) => item,
  };
  return { source, reads };
}

const request = (body: object) => parseQueryRequest('query_user_request_payload', USER_QUERY_FIELDS, body, JSON.stringify(body));

describe('query runner: what a query reads', () => {
  it('a query by key reads those keys only; anything else asks the scan for at most MAX_SCANNED + 1 items', async () => {
    const { source, reads } = countingSource([{ username: 'a' }, { username: 'b' }]);
    expect((await runQuery(request({ query: { ids: { values: ['a'] } } }), source)).total).toBe(1);
    expect((await runQuery(request({ query: { prefix: { username: 'a' } } }), source)).total).toBe(1);
    expect(reads).toEqual({ keys: [1], scans: [MAX_SCANNED] });
  });

  it('a table holding more than MAX_SCANNED items answers an unkeyed query with a 400 saying how to narrow it', async () => {
    const many = Array.from({ length: MAX_SCANNED + 5 }, (_, i) => ({ username: `u${i}` }));
    const { source } = countingSource(many);
    await expect(runQuery(request({ query: { prefix: { username: 'u1' } } }), source)).rejects.toThrow(IllegalArgumentError);
    await expect(runQuery(request({ query: { term: { username: 'u1' } } }), source)).resolves.toMatchObject({ total: 1 });
  });

  it(`more than ${MAX_KEYS} keys are read by the bounded scan instead`, async () => {
    const { source, reads } = countingSource([{ username: 'a' }]);
    const values = Array.from({ length: MAX_KEYS + 1 }, (_, i) => `k${i}`);
    await runQuery(request({ query: { terms: { username: values } } }), source);
    expect(reads).toEqual({ keys: [], scans: [MAX_SCANNED] });
  });

  it('a bool nested 31 deep is refused, its depth checked before each level is read', () => {
    expect(MAX_NESTED_DEPTH).toBe(30);
    let query: object = { match_all: {} };
    for (let i = 0; i < MAX_NESTED_DEPTH; i++) query = { bool: { filter: query } };
    expect(() => compileQuery(USER_QUERY_FIELDS, query)).not.toThrow();
    expect(() => compileQuery(USER_QUERY_FIELDS, { bool: { filter: query } })).toThrow(/maximum nested depth/);
  });
});
