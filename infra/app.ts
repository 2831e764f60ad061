import { App } from 'aws-cdk-lib';
import { ConfigurationError } from '../functions/setting-types';
import { buildServiceApp } from './service-app';

try {
  buildServiceApp(new App());
} catch (error) {
  if (!(error instanceof ConfigurationError)) throw error;
  // A refused setting is the operator's to fix: one line naming it, not a stack trace through the CDK. Exit
  // now, before the app's automatic synth of a half-built tree.
  process.stderr.write(`error: ${error.message}\n`);
  process.exit(1);
}
