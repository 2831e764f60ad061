import type { Construct } from 'constructs';
import { LibraryLayer, writePackage } from './library-layer';

/**
 * The libraries a function loads only when a request needs them, which no bundle holds (lambda-functions.ts):
 * - bcryptjs, at the first password a function checks or hashes (security/authc/passwords/bcrypt.ts): most
 *   requests carry a token, and a cold start that checks no password never reads it;
 * - the Lambda client, at the first sweep that outlives its budget and continues in another invocation
 *   (aws/lambda-sweep-continuation.ts): rare, and 75 KB that the invalidation function's bundle would load at
 *   every cold start.
 * Every function carries the layer: any API may be called with a password.
 */
export const ON_DEMAND_LIBRARY_MODULES = ['bcryptjs', '@aws-sdk/client-lambda'] as const;

/**
 * The Lambda client as the continuation uses it, its two classes from the client's own modules: the index
 * would bring every command and waiter of the Lambda API. Installed under the client's name, so that the
 * function's `require('@aws-sdk/client-lambda')` (functions/aws/lambda-invoke.ts) finds it on Lambda, and the
 * whole client where the project runs unbundled: deployed, these two classes are all there is, so a function that
 * needs another command of the Lambda API names it here too.
 */
const LAMBDA_INVOKE = `
export { InvokeCommand } from '@aws-sdk/client-lambda/dist-es/commands/InvokeCommand';
export { LambdaClient } from '@aws-sdk/client-lambda/dist-es/LambdaClient';
`;

export class OnDemandLibraryLayer extends LibraryLayer {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      description: 'Libraries loaded on demand: bcryptjs and the Lambda client, bundled at synth',
      stage: (build, modules) => {
        build('bcryptjs/index.js', { entry: 'bcryptjs' });
        build('@aws-sdk/client-lambda/index.js', { source: LAMBDA_INVOKE });
        writePackage(modules, 'bcryptjs', 'index.js');
        writePackage(modules, '@aws-sdk/client-lambda', 'index.js');
      },
    });
  }
}
