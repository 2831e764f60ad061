import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { TOKENS_TABLE } from '../../functions/store/tables';
import { ROUTES } from '../../infra/routes';
import { TokenServiceStack } from '../../infra/token-service-stack';

let template: Template;

beforeAll(() => {
  const app = new App();
  template = Template.fromStack(new TokenServiceStack(app, 'Test', { tokenTimeout: '30m', indexShards: 8 }));
});

describe('CDK stack', () => {
  it('builds the tokens table from the shared definition: key, TTL, sparse GSIs and projections', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: TOKENS_TABLE.partitionKey.name, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: TOKENS_TABLE.timeToLiveAttribute, Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
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
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('runs every function on Node.js 22, arm64, with the configured timeout and shard count', () => {
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Environment: { Variables: Match.objectLike({ TOKEN_TIMEOUT: '30m', TOKEN_INDEX_SHARDS: '8' }) },
    });
  });

  it('has one API Gateway method for every route of the route table', () => {
    for (const route of ROUTES) {
      template.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: route.method,
        Integration: Match.objectLike({ Type: 'AWS_PROXY' }),
      });
    }
    template.resourceCountIs('AWS::ApiGateway::Method', ROUTES.length);
  });
});
