import { join } from 'node:path';
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { AwsSolutionsChecks } from 'cdk-nag';
import { build } from 'esbuild';
import { ordersApp } from '../../docs/examples/protected-api';
import { REVOCATION_DETAIL_TYPE, REVOCATION_EVENT_SOURCE } from '../../functions/aws/revocation-event-names';
import { bundlingOf } from '../../infra/lambda-functions';
import { TokenAuthorizer } from '../../infra/token-authorizer';
import { testApp } from '../support/cdk-app';

/**
 * The TokenAuthorizer construct in another team's app (docs/examples/protected-api.ts): a REST API and an HTTP API
 * behind it, synthesized with cdk-nag's AwsSolutions checks. Bundling is skipped: the checks and the assertions
 * read the template, not the code.
 */
const noBundling = () => testApp({ tokensTableName: 'svc-tokens', rolesTableName: 'svc-roles' });

let template: Template;
beforeAll(() => {
  const app = ordersApp(noBundling());
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  // A finding nobody acknowledged fails the synth.
  const assembly = app.synth();
  template = Template.fromJSON(assembly.getStackByName('OrdersApi').template);
});

/** The statements of the authorizer function's role. */
function authorizerStatements(from: Template): unknown[] {
  const roles = from.findResources('AWS::IAM::Role', {
    Properties: { Description: Match.stringLikeRegexp('^Token authorizer') },
  });
  const [roleId] = Object.keys(roles);
  const policies = Object.values(from.findResources('AWS::IAM::Policy')).filter((policy) =>
    JSON.stringify(policy.Properties.Roles).includes(String(roleId)),
  );
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

const tableArn = (name: string) => ({
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, ':dynamodb:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:table/${name}`],
  ],
});

describe('the TokenAuthorizer construct in another app', () => {
  it('lets its function read the token pairs and native roles (one BatchGetItem each) and write its own log group, nothing else', () => {
    const statements = authorizerStatements(template);
    expect(statements).toEqual([
      expect.objectContaining({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow' }),
      { Action: 'dynamodb:BatchGetItem', Effect: 'Allow', Resource: [tableArn('svc-tokens'), tableArn('svc-roles')] },
    ]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: "Authorizer accepting the token service's Bearer tokens",
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Environment: {
        Variables: Match.objectLike({
          TOKENS_TABLE: 'svc-tokens',
          ROLES_TABLE: 'svc-roles',
          AUTHORIZER_ROLES: '',
          AUTHORIZER_PRIVILEGES: 'monitor',
        }),
      },
    });
  });

  it('is a REQUEST authorizer on the Authorization header of the REST API, and a payload 2.0 simple-response one of the HTTP API', () => {
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 60,
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization'],
      AuthorizerResultTtlInSeconds: 60,
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'GET', AuthorizationType: 'CUSTOM' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /orders', AuthorizationType: 'CUSTOM' });
  });

  it('flushes the authorizer cache of both stages on the service’s revocation events (FlushStageAuthorizersCache, ResetAuthorizersCache)', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule'));
    expect(rules).toHaveLength(1);
    const rule = rules[0]?.Properties;
    expect(rule.EventPattern).toEqual({ source: [REVOCATION_EVENT_SOURCE], 'detail-type': [REVOCATION_DETAIL_TYPE] });
    const inputs = JSON.stringify(rule.Targets.map((target: { Input: unknown }) => target.Input));
    expect(inputs).toContain('\\"action\\":\\"flushStageAuthorizersCache\\"');
    expect(inputs).toContain('\\"action\\":\\"resetAuthorizersCache\\"');
    const flushPolicy = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(flushPolicy).toMatch(/\/restapis\/.*\/stages\/prod\/cache\/authorizers/);
    expect(flushPolicy).toMatch(/\/apis\/.*\/stages\/prod\/cache\/authorizers/);
  });

  it('caches nothing by default, reads no roles table without one, and refuses an unknown privilege at synth', () => {
    const app = noBundling();
    const stack = new Stack(app, 'Minimal');
    const authorizer = new TokenAuthorizer(stack, 'Authorizer', { tokensTableName: 'svc-tokens' });
    const api = new apigateway.RestApi(stack, 'Api', { cloudWatchRole: false });
    api.root.addMethod('GET', new apigateway.MockIntegration(), { authorizer: authorizer.restAuthorizer });
    const minimal = Template.fromStack(stack);
    minimal.hasResourceProperties('AWS::ApiGateway::Authorizer', { AuthorizerResultTtlInSeconds: 0 });
    expect(authorizerStatements(minimal)).toContainEqual({
      Action: 'dynamodb:BatchGetItem',
      Effect: 'Allow',
      Resource: tableArn('svc-tokens'),
    });
    expect(authorizer.resultsCacheTtl.toSeconds()).toBe(Duration.seconds(0).toSeconds());
    expect(
      () => new TokenAuthorizer(stack, 'Bad', { tokensTableName: 't', rolesTableName: 'r', anyPrivilege: ['superpowers'] }),
    ).toThrow(/superpowers/);
    expect(() => new TokenAuthorizer(stack, 'NoRoles', { tokensTableName: 't', anyPrivilege: ['monitor'] })).toThrow(
      /rolesTableName/,
    );
  });
});

describe("the authorizer function's bundle", () => {
  it('holds the token service and the DynamoDB client, and no other AWS client, no middy, no password, SSO or YAML library', async () => {
    const bundling = bundlingOf(false);
    const { metafile } = await build({
      entryPoints: [join(__dirname, '..', '..', 'functions', 'authorizer', 'handler.ts')],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'cjs',
      target: bundling.target,
      minify: true,
      mainFields: bundling.mainFields,
      external: bundling.externalModules,
      logLevel: 'silent',
    });
    const packages = new Set(
      Object.keys(metafile.inputs).flatMap((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1] ?? []),
    );
    expect(packages).toContain('@aws-sdk/client-dynamodb');
    const unwanted = [
      '@aws-sdk/client-eventbridge',
      '@aws-sdk/client-lambda',
      '@aws-sdk/client-secrets-manager',
      '@aws-sdk/client-sqs',
      '@middy/core',
      'bcryptjs',
      'jose',
      '@node-saml/node-saml',
      'yaml',
    ];
    expect(unwanted.filter((name) => packages.has(name))).toEqual([]);
    const projectFolders = new Set(
      Object.keys(metafile.inputs)
        .filter((input) => input.startsWith('functions/'))
        .map((input) => input.split('/').slice(0, 2).join('/')),
    );
    expect(
      [...projectFolders].filter((folder) => ['functions/handlers', 'functions/http', 'functions/app'].includes(folder)),
    ).toEqual(['functions/app']);
  });
});
