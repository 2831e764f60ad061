// The Lambda client's own modules (lambda-invoke.ts) are the index's classes: typed as the index types them.
declare module '@aws-sdk/client-lambda/dist-es/commands/InvokeCommand' {
  export { InvokeCommand } from '@aws-sdk/client-lambda';
}
declare module '@aws-sdk/client-lambda/dist-es/LambdaClient' {
  export { LambdaClient } from '@aws-sdk/client-lambda';
}
