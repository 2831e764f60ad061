import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { StorageUnavailableError } from '../../functions/errors';
import { Actions } from '../../functions/security/authz/actions';
import { RoleRegistry } from '../../functions/security/authz/roles';
import { DynamoDbRoleStore } from '../../functions/store/dynamodb-role-store';
import { createRolesTable, testClients } from '../support/dynamodb';

const { client, documents } = testClients();
let tableName: string;
let store: DynamoDbRoleStore;

beforeAll(async () => {
  tableName = await createRolesTable(client);
  store = new DynamoDbRoleStore({ client: documents, tableName });
});

describe('DynamoDB role store (DynamoDB Local)', () => {
  it('declares the roles table: the role name is the key', async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'name', KeyType: 'HASH' }]);
  });

  it('reads back the whole descriptor it stored, in the order sent', async () => {
    const role = {
      name: 'logs_reader',
      descriptor: {
        cluster: ['monitor'],
        indices: [{ names: ['logs-*'], privileges: ['read'], query: { term: { team: 'x' } } }],
        metadata: { version: 1e200 },
        description: 'reads logs',
      },
    };
    expect(await store.put(role)).toBe(true);
    const read = await store.get('logs_reader');
    expect(read).toEqual(role);
    expect(Object.keys(read?.descriptor ?? {})).toEqual(['cluster', 'indices', 'metadata', 'description']);
  });

  it('put answers whether the role is new; delete whether it existed', async () => {
    const role = { name: 'ephemeral', descriptor: { cluster: [] } };
    expect(await store.put(role)).toBe(true);
    expect(await store.put(role)).toBe(false);
    expect(await store.delete('ephemeral')).toBe(true);
    expect(await store.delete('ephemeral')).toBe(false);
    expect(await store.get('ephemeral')).toBeUndefined();
  });

  it('reads the cluster privileges of existing roles only, repeated names and all, beyond 100 names a batch', async () => {
    await store.put({ name: 'issuer', descriptor: { cluster: ['manage_token'] } });
    await store.put({ name: 'admin', descriptor: { cluster: ['manage_security', 'monitor'] } });
    const unknown = Array.from({ length: 150 }, (_, i) => `unknown-${i}`);
    const privileges = await store.clusterPrivileges(['issuer', ...unknown, 'admin', 'issuer']);
    expect(privileges).toEqual(
      new Map([
        ['issuer', ['manage_token']],
        ['admin', ['manage_security', 'monitor']],
      ]),
    );
  });

  it('reads many roles whole in batches, beyond 100 names, repeated and unknown names left out', async () => {
    const roles = Array.from({ length: 120 }, (_, i) => ({
      name: `many-${i}`,
      descriptor: { cluster: ['monitor'], metadata: { i } },
    }));
    await Promise.all(roles.map((role) => store.put(role)));
    const read = await store.getMany([...roles.map((role) => role.name), 'many-0', 'never-created']);
    expect(read.sort((a, b) => Number(a.name.slice(5)) - Number(b.name.slice(5)))).toEqual(roles);
  });

  it('lists every role', async () => {
    const names = (await store.list()).map((role) => role.name);
    expect(names).toEqual(expect.arrayContaining(['issuer', 'admin', 'logs_reader']));
  });

  it('authorization sees a role change on the next check: no stale copy is kept', async () => {
    const registry = new RoleRegistry(new Map(), store);
    await store.put({ name: 'changing', descriptor: { cluster: ['manage_token'] } });
    expect(await registry.grants(['changing'], Actions.createToken)).toBe(true);
    await store.put({ name: 'changing', descriptor: { cluster: ['monitor'] } });
    expect(await registry.grants(['changing'], Actions.createToken)).toBe(false);
    expect(await registry.grants(['changing'], Actions.clusterInfo)).toBe(true);
    await store.delete('changing');
    expect(await registry.grants(['changing'], Actions.clusterInfo)).toBe(false);
  });

  it('ER-11: a storage failure surfaces as StorageUnavailableError', async () => {
    const missing = new DynamoDbRoleStore({ client: documents, tableName: 'no-such-table' });
    await expect(missing.clusterPrivileges(['a'])).rejects.toBeInstanceOf(StorageUnavailableError);
  });

  it('a bounded listing reads at most one item past its bound from DynamoDB, however many roles others stored', async () => {
    const crowded = await createRolesTable(client);
    const writer = new DynamoDbRoleStore({ client: documents, tableName: crowded });
    const names = Array.from({ length: 1_200 }, (_, i) => `crowd-${i}`);
    for (let i = 0; i < names.length; i += 50) {
      await Promise.all(names.slice(i, i + 50).map((name) => writer.put({ name, descriptor: { cluster: ['monitor'] } })));
    }
    let scanned = 0;
    const counting = {
      send: async (command: Parameters<typeof documents.send>[0]) => {
        const reply = (await documents.send(command)) as { ScannedCount?: number };
        if (command instanceof ScanCommand) scanned += reply.ScannedCount ?? 0;
        return reply;
      },
    } as unknown as typeof documents;
    const bounded = new DynamoDbRoleStore({ client: counting, tableName: crowded });
    expect(await bounded.list(500)).toHaveLength(501);
    expect(scanned).toBe(501);
  });
});
