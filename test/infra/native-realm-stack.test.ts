import { Match, type Template } from 'aws-cdk-lib/assertions';
import { ROLE_MAPPINGS_TABLE, ROLES_TABLE, USERS_TABLE } from '../../functions/store/tables';
import { FUNCTIONS } from '../../infra/routes';
import { TokenServiceStack } from '../../infra/token-service-stack';
import { synthesize } from '../support/cdk-app';
import { functionConstructIds, grantsOf } from '../support/template-grants';

let template: Template;

const TABLE_CONSTRUCTS = { tokens: 'TokensTable', users: 'UsersTable', roles: 'RolesTable', roleMappings: 'RoleMappingsTable' };

/** The DynamoDB item actions a function's role has on a table, read from the template (`GetItem`, not `dynamodb:GetItem`). */
function items(functionConstructId: string, table: keyof typeof TABLE_CONSTRUCTS): string[] {
  const resources = template.toJSON().Resources;
  const actions = grantsOf(resources, functionConstructId)[TABLE_CONSTRUCTS[table]] ?? [];
  return actions.map((action) => action.replace(/^dynamodb:/, ''));
}

beforeAll(() => {
  template = synthesize((app) => new TokenServiceStack(app, 'NativeRealmTest')).template;
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
    expect(items('AuthenticateFunction', 'users')).toEqual(['GetItem']);
    // Only to check a run-as header against the caller's native roles' run_as.
    expect(items('AuthenticateFunction', 'roles')).toEqual(['BatchGetItem']);
    expect(items('GetTokenFunction', 'users')).toEqual(['GetItem']);
    expect(items('GetTokenFunction', 'roles')).toEqual(['BatchGetItem']);
    expect(items('PutUserFunction', 'users')).toEqual(['GetItem', 'PutItem', 'UpdateItem']);
    expect(items('PutUserFunction', 'roles')).toEqual(['BatchGetItem']);
    expect(items('GetUsersFunction', 'users')).toEqual(['GetItem', 'Scan']);
    expect(items('DeleteUserFunction', 'users')).toEqual(['DeleteItem', 'GetItem']);
    expect(items('ChangePasswordFunction', 'users')).toEqual(['GetItem', 'UpdateItem']);
    expect(items('SetUserEnabledFunction', 'users')).toEqual(['GetItem', 'UpdateItem']);
    expect(items('PutRoleFunction', 'roles')).toEqual(['BatchGetItem', 'PutItem']);
    expect(items('PutRoleFunction', 'users')).toEqual(['GetItem']);
    expect(items('GetRolesFunction', 'roles')).toEqual(['BatchGetItem', 'GetItem', 'Scan']);
    expect(items('DeleteRoleFunction', 'roles')).toEqual(['BatchGetItem', 'DeleteItem']);
  });

  it('RM-1: builds the role-mappings table from the shared definition and grants the role-mapping APIs only what they need', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ KeySchema: [{ AttributeName: ROLE_MAPPINGS_TABLE.partitionKey.name, KeyType: 'HASH' }] }),
      DeletionPolicy: 'Retain',
    });
    expect(items('PutRoleMappingFunction', 'roleMappings')).toEqual(['PutItem']);
    expect(items('GetRoleMappingsFunction', 'roleMappings')).toEqual(['BatchGetItem', 'Scan']);
    expect(items('DeleteRoleMappingFunction', 'roleMappings')).toEqual(['DeleteItem']);
    // OIDC-U-5: the OpenID Connect login reads every mapping; no other function reads or writes them.
    // SAML-U-5: so does the SAML login.
    expect(items('SamlAuthenticateFunction', 'roleMappings')).toEqual(['Scan']);
    const others = functionConstructIds(template.toJSON().Resources).filter(
      (id) => !/RoleMapping/.test(id) && id !== 'OidcAuthenticateFunction' && id !== 'SamlAuthenticateFunction',
    );
    expect(others).toEqual(expect.arrayContaining(['GetTokenFunction', 'AuthenticateFunction', 'InvalidateTokenFunction']));
    for (const id of others) expect({ id, items: items(id, 'roleMappings') }).toEqual({ id, items: [] });
  });

  it('COMMON-1, OIDC-A-8, OIDC-L-2: the OpenID Connect functions may do to the tokens table only what their flow needs', () => {
    // BatchGetItem everywhere: a caller by Bearer token is read with its revocation watermarks.
    expect(items('OidcPrepareFunction', 'tokens')).toEqual(['BatchGetItem']);
    // One PutItem: the pair is minted by the same token service as a password grant.
    expect(items('OidcAuthenticateFunction', 'tokens')).toEqual(['BatchGetItem', 'PutItem']);
    expect(items('OidcLogoutFunction', 'tokens')).toEqual(['BatchGetItem', 'GetItem', 'UpdateItem']);
  });

  it('COMMON-1, SAML-A-3, SAML-L-2, SAML-I-4: the SAML functions may do to the tokens table only what their flow needs', () => {
    const grants = (id: string) => grantsOf(template.toJSON().Resources, id);
    for (const id of ['SamlPrepareFunction', 'SamlCompleteLogoutFunction', 'SamlMetadataFunction']) {
      expect(items(id, 'tokens')).toEqual(['BatchGetItem']);
    }
    expect(items('SamlAuthenticateFunction', 'tokens')).toEqual(['BatchGetItem', 'PutItem']);
    expect(items('SamlLogoutFunction', 'tokens')).toEqual(['BatchGetItem', 'GetItem', 'UpdateItem']);
    // IdP-initiated logout reads its session's pairs from the SAML session index, never the realm's.
    expect(items('SamlInvalidateFunction', 'tokens')).toEqual(['BatchGetItem', 'UpdateItem']);
    expect(grants('SamlInvalidateFunction')['TokensTable/index/saml-session-index']).toEqual(['dynamodb:Query']);
    expect(grants('SamlInvalidateFunction')['TokensTable/index/realm-index']).toBeUndefined();
    expect(grants('SamlLogoutFunction')['TokensTable/index/realm-index']).toBeUndefined();
  });
});
