import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { parseRoleMapping } from '../../functions/security/authz/role-mapping/mapping';
import { RoleMappings } from '../../functions/security/authz/role-mapping/role-mappings';
import { DynamoDbRoleMappingStore } from '../../functions/store/dynamodb-role-mapping-store';
import { createRoleMappingsTable, testClients } from '../support/dynamodb';

const { client, documents } = testClients();
let tableName: string;
let store: DynamoDbRoleMappingStore;

beforeAll(async () => {
  tableName = await createRoleMappingsTable(client);
  store = new DynamoDbRoleMappingStore({ client: documents, tableName });
});

const mapping = (name: string, body: Record<string, unknown>) => parseRoleMapping(name, body, JSON.stringify(body));

describe('DynamoDB role-mapping store (DynamoDB Local)', () => {
  it('declares the role-mappings table: the mapping name is the key', async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'name', KeyType: 'HASH' }]);
  });

  it('RM-8: reads back the mapping it stored, templates and metadata included; put says whether it is new', async () => {
    const stored = mapping('templated', {
      enabled: true,
      role_templates: [{ template: { source: '{{username}}' }, format: 'string' }],
      rules: { all: [{ field: { 'realm.name': 'oidc1' } }, { except: { field: { groups: ['a', 'b'] } } }] },
      metadata: { version: 1.5e10, nested: { list: [1, 'two'] } },
    });
    expect(await store.put(stored)).toBe(true);
    expect(await store.put(stored)).toBe(false);
    const [read] = await store.getMany(['templated', 'never-created']);
    expect(JSON.stringify(read)).toBe(JSON.stringify(stored));
  });

  it('RM-8: delete says whether the mapping existed', async () => {
    await store.put(mapping('ephemeral', { enabled: true, roles: ['r'], rules: { field: { username: '*' } } }));
    expect(await store.delete('ephemeral')).toBe(true);
    expect(await store.delete('ephemeral')).toBe(false);
    expect(await store.getMany(['ephemeral'])).toEqual([]);
  });

  it('RM-7, RM-9: the roles of a user are the union over the enabled mappings that match, read at the time of asking', async () => {
    const table = await createRoleMappingsTable(client);
    const mappings = new RoleMappings(new DynamoDbRoleMappingStore({ client: documents, tableName: table }));
    const put = (name: string, body: Record<string, unknown>) => mappings.put(mapping(name, body));
    await put('everyone', { enabled: true, roles: ['viewer'], rules: { field: { 'realm.name': 'oidc1' } } });
    await put('admins', { enabled: true, roles: ['admin', 'viewer'], rules: { field: { groups: 'admins' } } });
    await put('off', { enabled: false, roles: ['never'], rules: { field: { username: '*' } } });
    await put('per-user', {
      enabled: true,
      role_templates: [{ template: { source: '{{#tojson}}groups{{/tojson}}' }, format: 'json' }],
      rules: { field: { username: 'jdoe' } },
    });
    const user = { username: 'jdoe', groups: ['admins'], metadata: {}, realmName: 'oidc1' };
    expect((await mappings.resolveRoles(user)).sort()).toEqual(['admin', 'admins', 'viewer']);
    await mappings.delete('admins');
    expect((await mappings.resolveRoles(user)).sort()).toEqual(['admins', 'viewer']);
    expect(await mappings.resolveRoles({ ...user, username: 'other', realmName: 'saml1' })).toEqual([]);
  });
});
