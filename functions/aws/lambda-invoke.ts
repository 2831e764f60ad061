/**
 * The two names of the Lambda client the continuation uses, in a module of their own, imported dynamically
 * (lambda-sweep-continuation.ts) so that only a sweep that outlives its budget evaluates them. They come from
 * the client's own modules, not its index: esbuild keeps the index's aggregated client and every waiter of
 * the Lambda API when this module's namespace re-exports from it, 20 KB that the invalidation function's
 * 600 KB bound has no room for. Typed from the index (aws-client-modules.d.ts).
 */
export { InvokeCommand } from '@aws-sdk/client-lambda/dist-es/commands/InvokeCommand';
export { LambdaClient } from '@aws-sdk/client-lambda/dist-es/LambdaClient';
