import { type App, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FUNCTIONS } from '../../infra/routes';
import { type ServiceApi, TokenServiceStack } from '../../infra/token-service-stack';
import { testApp } from '../support/cdk-app';

/**
 * cdk-nag's AwsSolutions rules over the stack, in process. (The CLI's `cdk synth` of the real app runs them
 * too, in deployed-bundle.test.ts.) Bundling is skipped: the rules read the template, not the code.
 */
function synthWithChecks(build: (app: App) => TokenServiceStack): () => void {
  const app = testApp();
  build(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return () => app.synth();
}

describe('cdk-nag AwsSolutions checks', () => {
  it('fail the synth on a finding nobody acknowledged, and report only that one', () => {
    const synth = synthWithChecks((app) => {
      const stack = new TokenServiceStack(app, 'Unacknowledged');
      new secretsmanager.Secret(stack, 'UnrotatedSecret');
      return stack;
    });
    const report = (() => {
      try {
        synth();
        return 'no error';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(report).toMatch(/AwsSolutions-SMG4/);
    // The stack's own findings are all acknowledged: the new secret is the only construct reported.
    expect(report.match(/Unacknowledged\/\S+/g)).toEqual(['Unacknowledged/UnrotatedSecret/Resource']);
  });

  it('pass for a function that queries the indexes and invokes itself (the shape of invalidate)', () => {
    const api: ServiceApi = {
      functions: {
        ...FUNCTIONS,
        invalidate: {
          entry: FUNCTIONS.authenticate.entry,
          description: 'DELETE /_security/oauth2/token',
          access: { tokens: { items: ['GetItem', 'UpdateItem'], queryIndexes: true } },
          invokesItself: true,
        },
      },
      routes: [{ method: 'DELETE', path: '/_security/oauth2/token', function: 'invalidate' }],
    };
    expect(synthWithChecks((app) => new TokenServiceStack(app, 'WithInvalidate', { api }))).not.toThrow();
  });
});
