import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { TOKENS_TABLE } from '../../functions/store/tables';
import { ACCESS_LOG_FIELDS } from '../../infra/access-log';
import { FUNCTIONS, ROUTES } from '../../infra/routes';
import { TABLES } from '../../infra/tables';
import { type ServiceApi, TokenServiceStack, type TokenServiceStackProps } from '../../infra/token-service-stack';
import { type Resource, synthesize, testApp } from '../support/cdk-app';
import { byConstructId, functionConstructIds, type Grants, grantsOf } from '../support/template-grants';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

/** Without bundling: these assertions read the template; deployed-bundle.test.ts runs the bundled code. */
const synthesizeStack = (props: TokenServiceStackProps = {}) => synthesize((app) => new TokenServiceStack(app, 'Test', props));

const logicalId = (stack: Stack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnFunction);

const asArray = <T>(value: T | T[]) => (Array.isArray(value) ? value : [value]);

function resourceOf(resources: Record<string, Resource>, id: string): Resource {
  const resource = resources[id];
  if (resource === undefined) throw new Error(`no resource ${id} in the template`);
  return resource;
}

/** Every statement of every policy attached to a role, and the managed policies it carries. */
function roleStatements(resources: Record<string, Resource>, roleId: string): { statements: Statement[]; managed: unknown[] } {
  const attached = Object.values(resources).filter(
    (r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as { Ref: string }[]).some((ref) => ref.Ref === roleId),
  );
  return {
    statements: attached.flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement),
    managed: (resourceOf(resources, roleId).Properties.ManagedPolicyArns as unknown[] | undefined) ?? [],
  };
}

function functionResource(stack: TokenServiceStack, resources: Record<string, Resource>, functionId: string): Resource {
  return resourceOf(resources, logicalId(stack, stack.functions[functionId] as never));
}

function functionRole(stack: TokenServiceStack, resources: Record<string, Resource>, functionId: string): string {
  return (functionResource(stack, resources, functionId).Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
}

function functionLogGroup(stack: TokenServiceStack, resources: Record<string, Resource>, functionId: string): string {
  return (functionResource(stack, resources, functionId).Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
}

const actionsOn = (statements: Statement[], resource: unknown) =>
  statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify(resource)).flatMap((s) => asArray(s.Action));

/** To know its caller, every function reads a Bearer token's pair and watermarks, a native user, native roles. */
const CALLER: Grants = {
  TokensTable: ['dynamodb:BatchGetItem'],
  UsersTable: ['dynamodb:GetItem'],
  RolesTable: ['dynamodb:BatchGetItem'],
};

/** Every function writes its own log group and reads the `elastic` secret, nothing more of either service. */
/** Revocation events go to the account's default bus, by its ARN as the template writes it. */
const REVOCATION_BUS: Grants = {
  '{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":events:",{"Ref":"AWS::Region"},":",{"Ref":"AWS::AccountId"},":event-bus/default"]]}':
    ['events:PutEvents'],
};

const own = (name: string): Grants => ({
  [`${name}Logs`]: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  ElasticPassword: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
});

/**
 * What each function's role may do, written out: a change to any grant, through the function table or the
 * stack, fails here. TransactWriteItems has no IAM action: its writes are authorized one by one.
 */
const PINNED_GRANTS: Record<string, Grants> = {
  // Issue: one PutItem. Refresh: BatchGetItem of the pair and watermarks, a transaction of an UpdateItem,
  // a PutItem and a ConditionCheckItem.
  GetTokenFunction: {
    ...own('GetToken'),
    ...CALLER,
    TokensTable: ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  },
  // Never writes.
  AuthenticateFunction: { ...own('Authenticate'), ...CALLER },
  // Single and realm/user-wide invalidation: Query on each named index (never the table, never index/*), the
  // sweep's self-invocation and its failure queue.
  // The presented token and its watermarks, as every Bearer caller is read.
  IntrospectTokenFunction: { ...own('IntrospectToken'), ...CALLER },
  InvalidateTokenFunction: {
    ...own('InvalidateToken'),
    ...CALLER,
    ...REVOCATION_BUS,
    TokensTable: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
    'TokensTable/index/realm-index': ['dynamodb:Query'],
    'TokensTable/index/username-index': ['dynamodb:Query'],
    SweepsFailures: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
    InvalidateTokenFunction: ['lambda:InvokeFunction'],
  },
  PutUserFunction: {
    ...own('PutUser'),
    ...CALLER,
    UsersTable: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  },
  GetUsersFunction: { ...own('GetUsers'), ...CALLER, UsersTable: ['dynamodb:GetItem', 'dynamodb:Scan'] },
  DeleteUserFunction: { ...own('DeleteUser'), ...CALLER, UsersTable: ['dynamodb:DeleteItem', 'dynamodb:GetItem'] },
  ChangePasswordFunction: { ...own('ChangePassword'), ...CALLER, UsersTable: ['dynamodb:GetItem', 'dynamodb:UpdateItem'] },
  SetUserEnabledFunction: { ...own('SetUserEnabled'), ...CALLER, UsersTable: ['dynamodb:GetItem', 'dynamodb:UpdateItem'] },
  PutRoleFunction: { ...own('PutRole'), ...CALLER, RolesTable: ['dynamodb:BatchGetItem', 'dynamodb:PutItem'] },
  GetRolesFunction: {
    ...own('GetRoles'),
    ...CALLER,
    RolesTable: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Scan'],
  },
  DeleteRoleFunction: { ...own('DeleteRole'), ...CALLER, RolesTable: ['dynamodb:BatchGetItem', 'dynamodb:DeleteItem'] },
  // One PutItem or DeleteItem a role of the bulk.
  BulkPutRolesFunction: { ...own('BulkPutRoles'), ...CALLER, RolesTable: ['dynamodb:BatchGetItem', 'dynamodb:PutItem'] },
  BulkDeleteRolesFunction: { ...own('BulkDeleteRoles'), ...CALLER, RolesTable: ['dynamodb:BatchGetItem', 'dynamodb:DeleteItem'] },
  // A constant answer: only the caller is read.
  GetBuiltinPrivilegesFunction: { ...own('GetBuiltinPrivileges'), ...CALLER },
  // A query by name is a BatchGetItem; any other a Scan bounded to 10,000 items.
  QueryUsersFunction: {
    ...own('QueryUsers'),
    ...CALLER,
    UsersTable: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Scan'],
  },
  QueryRolesFunction: { ...own('QueryRoles'), ...CALLER, RolesTable: ['dynamodb:BatchGetItem', 'dynamodb:Scan'] },
  // The caller's roles, whole: the BatchGetItem every caller's authorization may make.
  GetUserPrivilegesFunction: { ...own('GetUserPrivileges'), ...CALLER },
  HasPrivilegesFunction: { ...own('HasPrivileges'), ...CALLER },
  PutRoleMappingFunction: { ...own('PutRoleMapping'), ...CALLER, RoleMappingsTable: ['dynamodb:PutItem'] },
  GetRoleMappingsFunction: {
    ...own('GetRoleMappings'),
    ...CALLER,
    RoleMappingsTable: ['dynamodb:BatchGetItem', 'dynamodb:Scan'],
  },
  DeleteRoleMappingFunction: { ...own('DeleteRoleMapping'), ...CALLER, RoleMappingsTable: ['dynamodb:DeleteItem'] },
  // Stateless: only the caller.
  OidcPrepareFunction: { ...own('OidcPrepare'), ...CALLER },
  // The mappings (a Scan), then the new pair (one PutItem).
  OidcAuthenticateFunction: {
    ...own('OidcAuthenticate'),
    ...CALLER,
    TokensTable: ['dynamodb:BatchGetItem', 'dynamodb:PutItem'],
    RoleMappingsTable: ['dynamodb:Scan'],
  },
  // The pair and its watermarks, then its halves invalidated (UpdateItem, a GetItem to read back a failed one).
  OidcLogoutFunction: {
    ...own('OidcLogout'),
    ...CALLER,
    ...REVOCATION_BUS,
    TokensTable: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
  },
  SamlPrepareFunction: { ...own('SamlPrepare'), ...CALLER },
  // As OpenID Connect: the mappings (a Scan), then the new pair (one PutItem); the assertion's ID is kept as
  // used by a conditional PutItem too (SAML-A-4), so no other action is needed.
  SamlAuthenticateFunction: {
    ...own('SamlAuthenticate'),
    ...CALLER,
    TokensTable: ['dynamodb:BatchGetItem', 'dynamodb:PutItem'],
    RoleMappingsTable: ['dynamodb:Scan'],
  },
  SamlLogoutFunction: {
    ...own('SamlLogout'),
    ...CALLER,
    ...REVOCATION_BUS,
    TokensTable: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem'],
  },
  // The session's pairs from the SAML session index, each invalidated: never the realm's or a user's index.
  SamlInvalidateFunction: {
    ...own('SamlInvalidate'),
    ...CALLER,
    ...REVOCATION_BUS,
    TokensTable: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
    'TokensTable/index/saml-session-index': ['dynamodb:Query'],
  },
  SamlCompleteLogoutFunction: { ...own('SamlCompleteLogout'), ...CALLER },
  SamlMetadataFunction: { ...own('SamlMetadata'), ...CALLER },
  InfoFunction: { ...own('Info'), ...CALLER },
};

describe('CDK stack', () => {
  const settings = { tokenTimeout: '30m', indexShards: 8, invalidationBudgetMs: 15_000 };
  const { stack, template, resources } = synthesizeStack(settings);

  describe('tables', () => {
    it('builds the tokens table from the shared definition: key, TTL, sparse GSIs and their projections', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [{ AttributeName: TOKENS_TABLE.partitionKey.name, KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: TOKENS_TABLE.timeToLiveAttribute, Enabled: true },
        GlobalSecondaryIndexes: TOKENS_TABLE.indexes.map((index) =>
          Match.objectLike({
            IndexName: index.indexName,
            KeySchema: [
              { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
              { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
            ],
            Projection:
              index.projectedAttributes.length === 0
                ? { ProjectionType: 'KEYS_ONLY' }
                : { ProjectionType: 'INCLUDE', NonKeyAttributes: index.projectedAttributes },
          }),
        ),
      });
    });

    it('makes every table on demand, recoverable to a point in time, encrypted, protected and retained', () => {
      template.resourceCountIs('AWS::DynamoDB::Table', Object.keys(TABLES).length);
      template.allResourcesProperties('AWS::DynamoDB::Table', {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      });
      template.allResources('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });
  });

  describe('functions', () => {
    it('has one function per entry of the function table, on Node.js 22 and arm64', () => {
      template.resourceCountIs('AWS::Lambda::Function', Object.keys(FUNCTIONS).length);
      for (const [functionId, definition] of Object.entries(FUNCTIONS)) {
        expect(functionResource(stack, resources, functionId).Properties).toMatchObject({
          Description: definition.description,
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          Timeout: 29,
        });
      }
    });

    it('hands every function the configured timeout, shard count, invalidation budget, and the secret, not a password', () => {
      template.allResourcesProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({
            TOKEN_TIMEOUT: '30m',
            TOKEN_INDEX_SHARDS: '8',
            INVALIDATION_BUDGET: '15000ms',
            TOKENS_TABLE: { Ref: logicalId(stack, stack.tables.tokens) },
            ELASTIC_PASSWORD_SECRET_ARN: { Ref: logicalId(stack, stack.elasticPassword) },
            POWERTOOLS_METRICS_NAMESPACE: 'EsTokenService',
          }),
        },
      });
      for (const fn of Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function')) {
        const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
        expect(Object.keys(variables)).not.toEqual(expect.arrayContaining(['ELASTIC_PASSWORD']));
        expect(Object.keys(variables)).not.toEqual(expect.arrayContaining(['DYNAMODB_ENDPOINT']));
      }
    });

    it('writes each function log to its own retained log group', () => {
      for (const functionId of Object.keys(FUNCTIONS)) {
        const group = functionLogGroup(stack, resources, functionId);
        expect(resources[group]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365 } });
      }
    });

    it('generates the elastic password into Secrets Manager and outputs its name and the API URL', () => {
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: { PasswordLength: 32, ExcludePunctuation: true },
      });
      template.hasOutput('ApiUrl', {});
      template.hasOutput('ElasticPasswordSecretName', {});
      expect(Object.keys(template.toJSON().Outputs)).toEqual([
        'ApiUrl',
        'ElasticPasswordSecretName',
        'SweepFailuresQueueUrl',
        'TokensTableName',
        'UsersTableName',
        'RolesTableName',
        'RoleMappingsTableName',
        'Stage',
        'DashboardName',
      ]);
    });

    it('refuses at synth a setting the functions would refuse at their cold start', () => {
      expect(() => new TokenServiceStack(testApp(), 'Bad', { tokenTimeout: '2h' })).toThrow(/TOKEN_TIMEOUT: .*out of range/);
      expect(() => new TokenServiceStack(testApp(), 'Bad', { invalidationBudgetMs: 29_000 })).toThrow(/INVALIDATION_BUDGET/);
    });
  });

  describe('least privilege', () => {
    const writes = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'ConditionCheckItem'].map((a) => `dynamodb:${a}`);

    it.each(Object.entries(PINNED_GRANTS))(
      '%s: exactly these actions on these resources (pinned, read from the template alone)',
      (functionConstructId, expected) => {
        expect(grantsOf(resources, functionConstructId)).toEqual(expected);
        const role = (
          resourceOf(resources, byConstructId(resources, 'AWS::Lambda::Function', functionConstructId)[0]).Properties.Role as {
            'Fn::GetAtt': [string, string];
          }
        )['Fn::GetAtt'][0];
        expect(roleStatements(resources, role).managed).toEqual([]);
      },
    );

    it('pins the grants of every function of the template', () => {
      expect(functionConstructIds(resources)).toEqual(Object.keys(PINNED_GRANTS).sort());
    });

    it('the authenticate function cannot write to any table', () => {
      const { statements } = roleStatements(resources, functionRole(stack, resources, 'authenticate'));
      const actions = statements.flatMap((s) => asArray(s.Action));
      for (const write of writes) expect(actions).not.toContain(write);
      // The pair and its watermarks and, for a run-as header's run_as, the caller's native roles
      // (BatchGetItem); a native user for Basic credentials (GetItem).
      expect([...new Set(actions.filter((a) => a.startsWith('dynamodb:')))].sort()).toEqual([
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
      ]);
    });

    it('no function has a wildcard action or resource, and each reads only the secret and writes only its own log group', () => {
      for (const functionId of Object.keys(FUNCTIONS)) {
        const { statements } = roleStatements(resources, functionRole(stack, resources, functionId));
        const ownLogGroup = functionLogGroup(stack, resources, functionId);
        for (const statement of statements) {
          expect(statement.Effect).toBe('Allow');
          for (const action of asArray(statement.Action)) expect(action).not.toContain('*');
          expect(JSON.stringify(statement.Resource)).not.toMatch(/"\*"|\/\*"/);
        }
        expect(actionsOn(statements, { Ref: logicalId(stack, stack.elasticPassword) }).sort()).toEqual([
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
        ]);
        expect(actionsOn(statements, { 'Fn::GetAtt': [ownLogGroup, 'Arn'] }).sort()).toEqual([
          'logs:CreateLogStream',
          'logs:PutLogEvents',
        ]);
        const services = new Set(statements.flatMap((s) => asArray(s.Action)).map((a) => a.split(':')[0]));
        // Only a function that continues its own work in the background may invoke (itself).
        const invokes = functionId === 'invalidateToken';
        // Only a function that invalidates may put events (on the revocation bus).
        const announces = FUNCTIONS[functionId as keyof typeof FUNCTIONS].announcesRevocations === true;
        expect([...services].sort()).toEqual([
          'dynamodb',
          ...(announces ? ['events'] : []),
          ...(invokes ? ['lambda'] : []),
          'logs',
          'secretsmanager',
          ...(invokes ? ['sqs'] : []),
        ]);
        // The failure destination: sending to the sweep failure queue, nothing else of SQS.
        const queueArn = { 'Fn::GetAtt': [logicalId(stack, stack.sweepFailures as never), 'Arn'] };
        const sqsActions = statements.flatMap((s) => asArray(s.Action)).filter((a) => a.startsWith('sqs:'));
        expect(sqsActions.sort()).toEqual(invokes ? ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'] : []);
        if (invokes) expect(actionsOn(statements, queueArn).sort()).toEqual(sqsActions.sort());
      }
    });

    it('a function that queries the indexes gets Query on each named index, and one that continues in the background may invoke itself only', () => {
      // The shape the invalidate function will take: Query on the indexes, single-item updates, self-invocation.
      const api: ServiceApi = {
        functions: {
          invalidate: {
            entry: FUNCTIONS.authenticate.entry,
            description: 'DELETE /_security/oauth2/token',
            access: { tokens: { items: ['GetItem', 'UpdateItem'], queryIndexes: true } },
            invokesItself: true,
          },
        },
        routes: [{ method: 'DELETE', path: '/_security/oauth2/token', function: 'invalidate' }],
      };
      const synthesized = synthesizeStack({ api });
      const { statements } = roleStatements(
        synthesized.resources,
        functionRole(synthesized.stack, synthesized.resources, 'invalidate'),
      );
      const tableArn = { 'Fn::GetAtt': [logicalId(synthesized.stack, synthesized.stack.tables.tokens), 'Arn'] };
      expect(actionsOn(statements, tableArn).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
      const query = statements.find((s) => asArray(s.Action).includes('dynamodb:Query'));
      expect(query?.Resource).toEqual(
        TOKENS_TABLE.indexes.map((index) => ({ 'Fn::Join': ['', [tableArn, `/index/${index.indexName}`]] })),
      );
      const invoke = statements.find((s) => asArray(s.Action).includes('lambda:InvokeFunction'));
      expect(invoke?.Resource).toEqual({
        'Fn::GetAtt': [logicalId(synthesized.stack, synthesized.stack.functions.invalidate as never), 'Arn'],
      });
    });
  });

  describe('background sweeps (no silent loss)', () => {
    const invalidateArn = { 'Fn::GetAtt': [logicalId(stack, stack.functions.invalidateToken as never), 'Arn'] };
    const queueArn = { 'Fn::GetAtt': [logicalId(stack, stack.sweepFailures as never), 'Arn'] };

    it('keeps failed continuations 14 days in an encrypted queue that refuses plain HTTP', () => {
      template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('gives the invalidate function bounded async retries and event age, and the queue as on-failure destination', () => {
      template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalId(stack, stack.functions.invalidateToken as never) },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 6 * 3600,
        DestinationConfig: { OnFailure: { Destination: queueArn } },
      });
    });

    it('resumes jobs whose runner stopped reporting on a schedule, with the resume event', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(5 minutes)',
        Targets: [Match.objectLike({ Arn: invalidateArn, Input: JSON.stringify({ resumeInvalidationSweeps: true }) })],
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: invalidateArn,
        Principal: 'events.amazonaws.com',
      });
    });

    it('exposes the failure queue for alarms and outputs its URL for a redrive', () => {
      expect(stack.sweepFailures.queueArn).toBeDefined();
      template.hasOutput('SweepFailuresQueueUrl', { Value: { Ref: logicalId(stack, stack.sweepFailures as never) } });
    });
  });

  describe('REST API', () => {
    const pathOf = (resourceId: string): string => {
      const resource = resources[resourceId];
      if (resource?.Type !== 'AWS::ApiGateway::Resource') return '';
      const parent = resource.Properties.ParentId as { Ref?: string };
      return `${parent.Ref ? pathOf(parent.Ref) : ''}/${resource.Properties.PathPart}`;
    };
    const methods = Object.values(resources)
      .filter((r) => r.Type === 'AWS::ApiGateway::Method')
      .map((r) => ({
        method: r.Properties.HttpMethod,
        // A method on the API's root resource (the info API) has no Resource of its own: its path is `/`.
        path: pathOf((r.Properties.ResourceId as { Ref: string }).Ref) || '/',
        integration: r.Properties.Integration as { Type: string; Uri: unknown },
      }));

    it('is regional', () => {
      template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
    });

    it('has exactly the routes of the route table, each a proxy integration with its own function', () => {
      const proxied = methods.filter(({ integration }) => integration.Type !== 'MOCK');
      expect(proxied.map(({ method, path }) => `${method} ${path}`).sort()).toEqual(
        ROUTES.map(({ method, path }) => `${method} ${path}`).sort(),
      );
      for (const route of ROUTES) {
        const { integration } = methods.find((m) => m.method === route.method && m.path === route.path) ?? {};
        expect(integration?.Type).toBe('AWS_PROXY');
        expect(JSON.stringify(integration?.Uri)).toContain(
          JSON.stringify({ 'Fn::GetAtt': [logicalId(stack, stack.functions[route.function] as never), 'Arn'] }),
        );
      }
    });

    it('ER-14: answers OPTIONS (200) and every other method (405) of a routed path itself, with the path’s methods in Allow', () => {
      const paths = [...new Set(ROUTES.map((route) => route.path))];
      const answers = Object.values(resources).filter(
        (r) => r.Type === 'AWS::ApiGateway::Method' && (r.Properties.Integration as { Type: string }).Type === 'MOCK',
      );
      expect(answers).toHaveLength(2 * paths.length);
      const info = ROUTES.filter((route) => route.path === '/').map((route) => route.method);
      type Answer = { StatusCode: string; ResponseTemplates: Record<string, string> };
      const answerOf = (method: string): Answer[] => {
        const found = answers.find(
          (r) => r.Properties.HttpMethod === method && (r.Properties.ResourceId as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'],
        );
        return (found?.Properties.Integration as { IntegrationResponses?: Answer[] } | undefined)?.IntegrationResponses ?? [];
      };
      const [options] = answerOf('OPTIONS');
      expect(options).toMatchObject({
        StatusCode: '200',
        ResponseParameters: {
          'method.response.header.Allow': `'${info.join(',')}'`,
          'method.response.header.Content-Type': "'text/plain; charset=UTF-8'",
          'method.response.header.x-elastic-product': "'Elasticsearch'",
        },
        ResponseTemplates: { 'application/json': '' },
      });
      const [other] = answerOf('ANY');
      expect(other).toMatchObject({
        StatusCode: '405',
        ResponseParameters: { 'method.response.header.Allow': `'${info.join(',')}'` },
      });
      expect(JSON.parse(other?.ResponseTemplates['application/json'] ?? 'null')).toEqual({
        error: `Incorrect HTTP method for uri [$context.path] and method [$context.httpMethod], allowed: [${info.join(', ')}]`,
        status: 405,
      });
    });

    it('ER-13: passes every body to the functions undecoded (base64), so bytes that are not UTF-8 reach them', () => {
      template.hasResourceProperties('AWS::ApiGateway::RestApi', { BinaryMediaTypes: ['*/*'] });
    });

    it('throttles the stage, logs errors but never request data, and writes JSON access logs to its log group', () => {
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        MethodSettings: [
          Match.objectLike({
            HttpMethod: '*',
            ResourcePath: '/*',
            ThrottlingRateLimit: 1000,
            ThrottlingBurstLimit: 2000,
            LoggingLevel: 'ERROR',
            DataTraceEnabled: false,
          }),
        ],
        AccessLogSetting: {
          DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ApiAccessLogs'), 'Arn'] },
          Format: Match.anyValue(),
        },
      });
      const [stage] = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGateway::Stage');
      const format = ((stage as Resource).Properties.AccessLogSetting as { Format: string }).Format;
      const line = JSON.parse(format.replace(/\$context\.[\w.]+/g, 'x'));
      expect(Object.keys(line)).toEqual(Object.keys(ACCESS_LOG_FIELDS));
      expect(format).not.toMatch(/authorization|header|requestBody/i);
    });

    it('answers with Elasticsearch error bodies when API Gateway itself refuses a request (ER-1; RestController, ElasticsearchException)', () => {
      /** Elasticsearch's error body for a type, reason and status, written out. */
      const esError = (type: string, reason: string, status: number) => ({
        error: { root_cause: [{ type, reason }], type, reason },
        status,
      });
      // `$context.…` are API Gateway's variables, substituted when it answers.
      const expected = {
        MISSING_AUTHENTICATION_TOKEN: {
          StatusCode: '400',
          body: { error: 'no handler found for uri [$context.path] and method [$context.httpMethod]' },
        },
        THROTTLED: { StatusCode: '429', body: esError('es_rejected_execution_exception', '$context.error.message', 429) },
        REQUEST_TOO_LARGE: {
          StatusCode: '413',
          body: esError('content_too_long_exception', 'request body is larger than the limit of [65536] bytes', 413),
        },
        WAF_FILTERED: { StatusCode: '403', body: esError('security_exception', '$context.error.message', 403) },
        INTEGRATION_TIMEOUT: { StatusCode: '504', body: esError('timeout_exception', '$context.error.message', 504) },
        DEFAULT_4XX: { StatusCode: '400', body: esError('status_exception', '$context.error.message', 400) },
        DEFAULT_5XX: { StatusCode: '502', body: esError('status_exception', '$context.error.message', 502) },
      };
      const responses = Object.values(resources)
        .filter((r) => r.Type === 'AWS::ApiGateway::GatewayResponse')
        .map(
          (r) =>
            r.Properties as {
              ResponseType: string;
              StatusCode: string;
              ResponseParameters: unknown;
              ResponseTemplates: Record<string, string>;
            },
        );
      expect(
        Object.fromEntries(
          responses.map((r) => [
            r.ResponseType,
            { StatusCode: r.StatusCode, body: JSON.parse(r.ResponseTemplates['application/json'] ?? '') },
          ]),
        ),
      ).toEqual(expected);
      for (const response of responses) {
        expect(Object.keys(response.ResponseTemplates)).toEqual(['application/json']);
        expect(response.ResponseParameters).toEqual({
          'gatewayresponse.header.content-type': "'application/json'",
          'gatewayresponse.header.x-elastic-product': "'Elasticsearch'",
        });
      }
    });

    it('attaches a web ACL when given one', () => {
      const webAclArn = 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/es/11111111-2222-3333-4444-555555555555';
      Template.fromStack(synthesizeStack({ webAclArn }).stack).hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
        WebACLArn: webAclArn,
      });
      template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    });
  });

  describe('sam local', () => {
    it('declares the variables sam local overrides only when asked, and changes nothing else', () => {
      const local = synthesizeStack({ ...settings, samLocal: true });
      for (const functionId of Object.keys(FUNCTIONS)) {
        const deployed = functionResource(stack, resources, functionId);
        const fn = functionResource(local.stack, local.resources, functionId);
        const { Environment: localEnvironment, ...localProperties } = fn.Properties;
        const { Environment: deployedEnvironment, ...deployedProperties } = deployed.Properties;
        expect(localProperties).toEqual(deployedProperties);
        expect((localEnvironment as { Variables: object }).Variables).toEqual({
          ...(deployedEnvironment as { Variables: object }).Variables,
          DYNAMODB_ENDPOINT: '',
          ELASTIC_PASSWORD: '',
        });
      }
    });
  });
});
