import { App } from 'aws-cdk-lib';
import { TokenServiceStack } from './token-service-stack';

const app = new App();
new TokenServiceStack(app, 'EsTokenService', {
  tokenTimeout: app.node.tryGetContext('tokenTimeout'),
  indexShards: app.node.tryGetContext('indexShards'),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
