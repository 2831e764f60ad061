import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * The one Node.js major of the service: the Lambda runtime, esbuild's target, `engines` in package.json and
 * the Node that `.ci/run` tests on (test/infra/node-version.test.ts holds them together). 22, not 24: 22 is
 * what every dependency here is tested on (middy 6, Jest 30, DynamoDB Local's npm package); 24 is the next
 * step before 22's end of life (April 2027), a change of this constant and the CI's Node.
 */
export const NODE_MAJOR = 22;
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_22_X;
export const ESBUILD_TARGET = `node${NODE_MAJOR}`;
