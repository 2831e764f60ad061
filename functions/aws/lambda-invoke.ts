/**
 * The two names of the Lambda client the continuation uses, in a module of their own, imported dynamically
 * (lambda-sweep-continuation.ts) so that only a sweep that outlives its budget requires the client. Deployed,
 * no bundle holds it: the function requires it from its on-demand layer (infra/on-demand-library-layer.ts),
 * which a bare `import()` of the package would not find (an ES module import ignores NODE_PATH).
 */
export { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
