import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ROLES_TABLE, USERS_TABLE } from '../../functions/store/tables';
import { FUNCTIONS, type FunctionId } from '../../infra/routes';
import { TokenServiceStack } from '../../infra/token-service-stack';

let template: Template;

beforeAll(() => {
  // No bundling: these assertions are about tables, grants and settings, and esbuild would add seconds.
  template = Template.fromStack(
    new TokenServiceStack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'NativeRealmTest'),
  );
});

/** The logical id of a table (by its key) and of each function's role, read from the template. */
function tableId(partitionKey: string): string {
  const [id] = Object.entries(template.findResources('AWS::DynamoDB::Table')).find(
    ([, resource]) => resource.Properties.KeySchema[0].AttributeName === partitionKey,
  ) ?? [''];
  return id;
}

/** Every DynamoDB action a function's role may perform on a table. */
function dynamoActions(functionId: FunctionId, table: string): string[] {
  const prefix = `${functionId[0]?.toUpperCase()}${functionId.slice(1)}Function`;
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
    JSON.stringify(policy.Properties.Roles).includes(`${prefix}ServiceRole`),
  );
  const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
  return statements
    .filter((statement) => JSON.stringify(statement.Resource).includes(`"${table}"`))
    .flatMap((statement) => [statement.Action].flat())
    .filter((action: string) => action.startsWith('dynamodb:'))
    .sort();
}

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
    const users = tableId(USERS_TABLE.partitionKey.name);
    const roles = tableId(ROLES_TABLE.partitionKey.name);
    expect(dynamoActions('authenticate', users)).toEqual(['dynamodb:GetItem']);
    expect(dynamoActions('authenticate', roles)).toEqual([]);
    expect(dynamoActions('getToken', users)).toEqual(['dynamodb:GetItem']);
    expect(dynamoActions('getToken', roles)).toEqual(['dynamodb:BatchGetItem']);
    expect(dynamoActions('putUser', users)).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(dynamoActions('putUser', roles)).toEqual(['dynamodb:BatchGetItem']);
    expect(dynamoActions('getUsers', users)).toEqual(['dynamodb:GetItem', 'dynamodb:Scan']);
    expect(dynamoActions('deleteUser', users)).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem']);
    expect(dynamoActions('changePassword', users)).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    expect(dynamoActions('setUserEnabled', users)).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    expect(dynamoActions('putRole', roles)).toEqual(['dynamodb:BatchGetItem', 'dynamodb:PutItem']);
    expect(dynamoActions('putRole', users)).toEqual(['dynamodb:GetItem']);
    expect(dynamoActions('getRoles', roles)).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Scan']);
    expect(dynamoActions('deleteRole', roles)).toEqual(['dynamodb:BatchGetItem', 'dynamodb:DeleteItem']);
  });
});
