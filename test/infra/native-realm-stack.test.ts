import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ROLE_MAPPINGS_TABLE, ROLES_TABLE, USERS_TABLE } from '../../functions/store/tables';
import { FUNCTIONS } from '../../infra/routes';
import { TokenServiceStack } from '../../infra/token-service-stack';

let template: Template;

beforeAll(() => {
  // No bundling: these assertions are about tables, grants and settings, and esbuild would add seconds.
  template = Template.fromStack(
    new TokenServiceStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'NativeRealmTest'),
  );
});

describe('CDK stack: the native realm', () => {
  it.each([
    ['users', USERS_TABLE],
    ['roles', ROLES_TABLE],
  ])('builds the %s table from the shared definition, retained, with point-in-time recovery', (_name, definition) => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        KeySchema: [{ AttributeName: definition.partitionKey.name, KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
      DeletionPolicy: 'Retain',
    });
  });

  it('gives every function the users and roles table names', () => {
    template.allResourcesProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ USERS_TABLE: Match.anyValue(), ROLES_TABLE: Match.anyValue() }) },
    });
  });

  it('has one function per API, the user and role APIs included', () => {
    template.resourceCountIs('AWS::Lambda::Function', Object.keys(FUNCTIONS).length);
  });

  it('outputs the users table name, for `npm run users -- --table`', () => {
    template.hasOutput('UsersTableName', {});
  });

  it('grants each function only the DynamoDB actions it needs on the users and roles tables', () => {
    // The function table declares them; token-service-stack.test.ts proves the stack grants exactly that.
    const items = (id: keyof typeof FUNCTIONS, table: 'users' | 'roles') =>
      [...((FUNCTIONS[id].access as Record<string, { items?: readonly string[] }>)[table]?.items ?? [])].sort();
    expect(items('authenticate', 'users')).toEqual(['GetItem']);
    // 15.4: only to check a run-as header against the caller's native roles' run_as.
    expect(items('authenticate', 'roles')).toEqual(['BatchGetItem']);
    expect(items('getToken', 'users')).toEqual(['GetItem']);
    expect(items('getToken', 'roles')).toEqual(['BatchGetItem']);
    expect(items('putUser', 'users')).toEqual(['GetItem', 'PutItem', 'UpdateItem']);
    expect(items('putUser', 'roles')).toEqual(['BatchGetItem']);
    expect(items('getUsers', 'users')).toEqual(['GetItem', 'Scan']);
    expect(items('deleteUser', 'users')).toEqual(['DeleteItem', 'GetItem']);
    expect(items('changePassword', 'users')).toEqual(['GetItem', 'UpdateItem']);
    expect(items('setUserEnabled', 'users')).toEqual(['GetItem', 'UpdateItem']);
    expect(items('putRole', 'roles')).toEqual(['BatchGetItem', 'PutItem']);
    expect(items('putRole', 'users')).toEqual(['GetItem']);
    expect(items('getRoles', 'roles')).toEqual(['BatchGetItem', 'GetItem', 'Scan']);
    expect(items('deleteRole', 'roles')).toEqual(['BatchGetItem', 'DeleteItem']);
  });

  it('RM-1: builds the role-mappings table from the shared definition and grants the role-mapping APIs only what they need', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ KeySchema: [{ AttributeName: ROLE_MAPPINGS_TABLE.partitionKey.name, KeyType: 'HASH' }] }),
      DeletionPolicy: 'Retain',
    });
    const items = (id: keyof typeof FUNCTIONS) =>
      [...((FUNCTIONS[id].access as Record<string, { items?: readonly string[] }>).roleMappings?.items ?? [])].sort();
    expect(items('putRoleMapping')).toEqual(['PutItem']);
    expect(items('getRoleMappings')).toEqual(['BatchGetItem', 'Scan']);
    expect(items('deleteRoleMapping')).toEqual(['DeleteItem']);
    // OIDC-U-5, SAML-U-5: the SSO logins read every mapping; no other function reads or writes them.
    expect(items('oidcAuthenticate')).toEqual(['Scan']);
    expect(items('samlAuthenticate')).toEqual(['Scan']);
    const others = (Object.keys(FUNCTIONS) as (keyof typeof FUNCTIONS)[]).filter(
      (id) => !/RoleMapping/.test(id) && id !== 'oidcAuthenticate' && id !== 'samlAuthenticate',
    );
    for (const id of others) expect({ id, items: items(id) }).toEqual({ id, items: [] });
  });

  it('COMMON-1, OIDC-A-8, OIDC-L-2: the OpenID Connect functions may do to the tokens table only what their flow needs', () => {
    const tokens = (id: keyof typeof FUNCTIONS) =>
      [...((FUNCTIONS[id].access as Record<string, { items?: readonly string[] }>).tokens?.items ?? [])].sort();
    // BatchGetItem everywhere: a caller by Bearer token is read with its revocation watermarks.
    expect(tokens('oidcPrepare')).toEqual(['BatchGetItem']);
    // One PutItem: the pair is minted by the same token service as a password grant.
    expect(tokens('oidcAuthenticate')).toEqual(['BatchGetItem', 'PutItem']);
    expect(tokens('oidcLogout')).toEqual(['BatchGetItem', 'GetItem', 'UpdateItem']);
  });

  it('COMMON-1, SAML-A-3, SAML-L-2, SAML-I-4: the SAML functions may do to the tokens table only what their flow needs', () => {
    const access = (id: keyof typeof FUNCTIONS) =>
      FUNCTIONS[id].access as Record<string, { items?: readonly string[]; queryIndexes?: boolean }>;
    const tokens = (id: keyof typeof FUNCTIONS) => [...(access(id).tokens?.items ?? [])].sort();
    for (const id of ['samlPrepare', 'samlCompleteLogout', 'samlMetadata'] as const) expect(tokens(id)).toEqual(['BatchGetItem']);
    expect(tokens('samlAuthenticate')).toEqual(['BatchGetItem', 'PutItem']);
    expect(tokens('samlLogout')).toEqual(['BatchGetItem', 'GetItem', 'UpdateItem']);
    // IdP-initiated logout reads the realm's pairs from the realm index, and each pair for its SAML session.
    expect(tokens('samlInvalidate')).toEqual(['BatchGetItem', 'UpdateItem']);
    expect(access('samlInvalidate').tokens?.queryIndexes).toBe(true);
    expect(access('samlLogout').tokens?.queryIndexes).toBeUndefined();
  });
});
