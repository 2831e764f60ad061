import fc from 'fast-check';
import { stringify } from 'yaml';
import { Actions } from '../../../functions/security/authz/actions';
import { PREDEFINED_CLUSTER_PRIVILEGES } from '../../../functions/security/authz/cluster-privileges';
import { RoleRegistry } from '../../../functions/security/authz/roles';
import { parseRolesFile } from '../../../functions/security/authz/roles-file';

const clusterOf = (text: string) => new Map([...parseRolesFile(text).roles].map(([name, role]) => [name, role.cluster]));

describe('roles.yml read with a YAML parser', () => {
  it('the flow form of the README defines the role token_manager, not a role named after the whole line', () => {
    expect(clusterOf('token_manager: {cluster: [manage_token]}\n')).toEqual(new Map([['token_manager', ['manage_token']]]));
  });

  it('a cluster key inside metadata grants nothing, in flow and in block form', () => {
    const text = [
      'reader: {cluster: [monitor], metadata: {cluster: [all]}}',
      'blocky:',
      '  cluster:',
      '    - monitor',
      '  metadata:',
      '    cluster:',
      '      - all',
      '  indices:',
      '    - names: [logs]',
      '      privileges: [read]',
      '      cluster: [all]',
    ].join('\n');
    expect(clusterOf(text)).toEqual(
      new Map([
        ['reader', ['monitor']],
        ['blocky', ['monitor']],
      ]),
    );
  });

  it('multi-line flow lists, anchors, aliases and merge keys are read as YAML reads them', () => {
    const text = [
      'base: &base',
      '  cluster: &privileges [',
      '    manage_token,',
      "    'monitor'",
      '  ]',
      'copy: *base',
      'same_list:',
      '  cluster: *privileges',
      'merged:',
      '  <<: *base',
      '  description: "inherits the cluster privileges of base"',
    ].join('\n');
    const roles = clusterOf(text);
    for (const name of ['base', 'copy', 'same_list', 'merged']) expect(roles.get(name)).toEqual(['manage_token', 'monitor']);
  });

  it('keeps every field of a role in the role API model; transient_metadata is dropped as the API drops it', () => {
    const text = [
      '# roles',
      '"admin":',
      '  cluster:',
      '    - manage_security  # comment',
      '    - "all"',
      '  indices:',
      '    - names: [ "logs-*" ]',
      '      privileges: [ read ]',
      '  run_as: [ other ]',
      '  metadata: { team: security }',
      '  transient_metadata: { enabled: false }',
      '  description: Security administrators',
      'empty: {}',
      'lone_string: { cluster: monitor }',
    ].join('\n');
    const { roles, warnings } = parseRolesFile(text);
    expect(warnings).toEqual([]);
    expect(roles.get('admin')).toEqual({
      cluster: ['manage_security', 'all'],
      indices: [{ names: ['logs-*'], privileges: ['read'] }],
      run_as: ['other'],
      metadata: { team: 'security' },
      description: 'Security administrators',
    });
    expect(roles.get('empty')).toEqual({ cluster: [] });
    expect(roles.get('lone_string')).toEqual({ cluster: ['monitor'] });
  });

  it('a role with an unknown cluster privilege is skipped with a warning naming it (ClusterPrivilegeResolver)', () => {
    const { roles, warnings } = parseRolesFile(
      'typo: {cluster: [manage_tokens]}\ngood: {cluster: [manage_token]}\n',
      '/c/roles.yml',
    );
    expect([...roles.keys()]).toEqual(['good']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^invalid role definition \[typo\] in roles file \[\/c\/roles\.yml\]\. unknown cluster privilege \[manage_tokens\]\. a privilege must be either one of the predefined cluster privilege names \[.*manage_token,.*\] or a pattern over one of the available cluster actions\. skipping role\.\.\.$/,
    );
  });

  it('action patterns and upper-case names resolve as in Elasticsearch', () => {
    expect(clusterOf('p: {cluster: ["cluster:admin/xpack/security/token/*", MANAGE_SECURITY]}\n').get('p')).toEqual([
      'cluster:admin/xpack/security/token/*',
      'MANAGE_SECURITY',
    ]);
  });

  it('skips, with a warning each, roles that are not valid, and still loads the others (FileRolesStore)', () => {
    const text = [
      'superuser: {cluster: [monitor]}',
      'not_a_map: [all]',
      'typo_field: {clusters: [all]}',
      'bad_meta: {cluster: [], metadata: {_reserved: true}}',
      'fine: {cluster: [monitor]}',
    ].join('\n');
    const { roles, warnings } = parseRolesFile(text, 'roles.yml');
    expect([...roles.keys()]).toEqual(['fine']);
    expect(warnings).toEqual([
      'role [superuser] is reserved. the relevant role definition in the mapping file will be ignored',
      'invalid role definition [not_a_map] in roles file [roles.yml]. skipping role...',
      'invalid role definition [typo_field] in roles file [roles.yml]. failed to parse role [typo_field]. unexpected field [clusters]. skipping role...',
      'invalid role definition [bad_meta] in roles file [roles.yml]. role descriptor metadata keys may not start with [_]. skipping role...',
    ]);
  });

  it('a role YAML cannot read costs only that role; a key given twice is refused, not read as its last value', () => {
    const text = [
      'first: {cluster: [monitor]}',
      'broken: {cluster: [all}',
      'twice:',
      '  cluster: [monitor]',
      '  cluster: [all]',
      'last:',
      '  cluster: [manage_token]',
    ].join('\n');
    const { roles, warnings } = parseRolesFile(text, 'roles.yml');
    expect(clusterOf(text)).toEqual(
      new Map([
        ['first', ['monitor']],
        ['last', ['manage_token']],
      ]),
    );
    expect(roles.has('twice')).toBe(false);
    expect(warnings).toEqual([
      'invalid role definition [broken] in roles file [roles.yml]. skipping role...',
      'invalid role definition [twice] in roles file [roles.yml]. skipping role...',
    ]);
  });

  it('a file of several YAML documents is read as their roles', () => {
    expect(parseRolesFile('---\na: {cluster: [all]}\n---\nb: {}\n...\n')).toEqual({
      roles: new Map([
        ['a', { cluster: ['all'] }],
        ['b', { cluster: [] }],
      ]),
      warnings: [],
    });
  });

  it('an alias bomb or a role that contains itself is refused, not expanded', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
    ].join('\n');
    expect(() => parseRolesFile(bomb)).not.toThrow();
    expect(parseRolesFile(bomb).roles.size).toBe(0);
    expect(() => parseRolesFile('loop: &loop {cluster: [all], metadata: {self: *loop}}\n')).not.toThrow();
    expect(parseRolesFile('loop: &loop {cluster: [all], metadata: {self: *loop}}\n').roles.size).toBe(0);
  });
});

describe('roles.yml fuzz: the file realm grants exactly the top-level cluster of each role', () => {
  const privilege = fc.constantFrom(
    ...PREDEFINED_CLUSTER_PRIVILEGES,
    'cluster:admin/xpack/security/token/*',
    'cluster:admin/xpack/security/user/put',
    'MANAGE_TOKEN',
  );
  const privileges = fc.array(privilege, { maxLength: 4 });
  const key = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
  /** What an attacker puts where a naive reader finds a `cluster` key: metadata, index entries, strings. */
  const hostileMetadata = fc.oneof(
    fc.record({ cluster: fc.constant(['all']) }),
    fc.record({ cluster: fc.constant('cluster: [all]'), nested: fc.record({ cluster: fc.constant(['manage_security']) }) }),
    fc.dictionary(key, fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(['all']))),
  );
  const role = fc.record(
    {
      cluster: privileges,
      metadata: hostileMetadata,
      indices: fc.array(
        fc.record({ names: fc.array(key, { minLength: 1 }), privileges: fc.constant(['read']), cluster: fc.constant(['all']) }),
        { maxLength: 2 },
      ),
      run_as: fc.array(key, { maxLength: 2 }),
      description: fc.oneof(fc.string(), fc.constant('cluster: [all]\nadmin: {cluster: [all]}')),
    },
    { requiredKeys: [] },
  );
  const roleName = fc.stringMatching(/^[a-z][a-z0-9_-]{0,12}$/).filter((name) => name !== 'superuser');
  const rolesFile = fc.record({
    roles: fc.dictionary(roleName, role, { minKeys: 1, maxKeys: 6 }),
    style: fc.constantFrom('any', 'block', 'flow') as fc.Arbitrary<'any' | 'block' | 'flow'>,
    // Which roles share another role's cluster list, so that the file holds anchors and aliases.
    shared: fc.array(fc.nat(), { maxLength: 3 }),
  });

  const SECURITY = ['manage_security', 'all'];
  const TOKEN = ['manage_token', ...SECURITY];
  const MONITOR = ['monitor', 'manage', 'all'];
  const OIDC = ['manage_oidc', ...SECURITY];
  const SAML = ['manage_saml', ...SECURITY];
  // COMMON-2: manage_saml also grants token refresh and invalidation (not creation).
  const SAML_TOKEN = /\/token\/(refresh|invalidate)$/;
  /** What the model says a cluster list grants, written independently of the service's resolver. */
  function expectedGrant(cluster: readonly string[], action: { name: string }): boolean {
    const names = cluster.map((p) => p.toLowerCase());
    const isToken = action.name.includes('/token/');
    if (action.name === 'cluster:monitor/main') {
      if (names.some((p) => MONITOR.includes(p))) return true;
    } else if (action.name.includes('/security/oidc/')) {
      if (names.some((p) => OIDC.includes(p))) return true;
    } else if (action.name === 'cluster:monitor/xpack/security/saml/metadata') {
      if (names.some((p) => [...SAML, ...MONITOR].includes(p))) return true;
    } else if (action.name.includes('/security/saml/')) {
      if (names.some((p) => SAML.includes(p))) return true;
    } else if (action.name.endsWith('/user/authenticate')) {
      // Every user may authenticate: no privilege names it, only an action pattern can match it.
    } else if (names.some((p) => (isToken ? TOKEN : SECURITY).includes(p))) return true;
    if (isToken && names.includes('cluster:admin/xpack/security/token/*')) return true;
    if (SAML_TOKEN.test(action.name) && names.includes('manage_saml')) return true;
    return names.some((p) => p.startsWith('cluster:') && !p.includes('*') && action.name.startsWith(p));
  }

  it('random valid role files, with the hostile shapes, parse to exactly their top-level cluster lists', async () => {
    await fc.assert(
      fc.asyncProperty(rolesFile, async ({ roles, style, shared }) => {
        const names = Object.keys(roles);
        for (const [i, n] of shared.entries()) {
          const from = roles[names[n % names.length] as string];
          const to = roles[names[(n + i + 1) % names.length] as string];
          if (from?.cluster !== undefined && to !== undefined) to.cluster = from.cluster;
        }
        const text = stringify(roles, { collectionStyle: style });
        const parsed = parseRolesFile(text);
        expect(parsed.warnings).toEqual([]);
        expect([...parsed.roles.keys()].sort()).toEqual([...names].sort());
        const registry = new RoleRegistry(new Map([...parsed.roles].map(([name, r]) => [name, r.cluster])));
        for (const name of names) {
          const cluster = roles[name]?.cluster ?? [];
          expect(parsed.roles.get(name)?.cluster).toEqual(cluster);
          for (const action of Object.values(Actions)) {
            expect(await registry.grants([name], action)).toBe(expectedGrant(cluster, action));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('any text at all: never a throw, and every role loaded holds only privileges that resolve', () => {
    const lines = fc.array(
      fc.oneof(
        fc.string(),
        fc.constantFrom(
          'r: {cluster: [all]}',
          '  cluster: [all]',
          '  - all',
          'x:',
          '  metadata: {cluster: [all]}',
          '&a [',
          '*a',
          '<<: *a',
        ),
      ),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(lines, (text) => {
        const { roles } = parseRolesFile(text.join('\n'));
        for (const { cluster } of roles.values()) {
          for (const p of cluster)
            expect(PREDEFINED_CLUSTER_PRIVILEGES.includes(p.toLowerCase()) || p.toLowerCase().startsWith('cluster:')).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
