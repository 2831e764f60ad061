/**
 * The two names of the Lambda client the continuation uses, in a module of their own: imported dynamically
 * (lambda-sweep-continuation.ts), a module's whole namespace is kept in the bundle, and the client's own
 * index would bring every command, model and waiter of the Lambda API.
 */
export { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
