// The AWS clients' own modules (lambda-invoke.ts, eventbridge-put.ts) are the index's classes: typed as the index types them.
declare module '@aws-sdk/client-lambda/dist-es/commands/InvokeCommand' {
  export { InvokeCommand } from '@aws-sdk/client-lambda';
}
declare module '@aws-sdk/client-lambda/dist-es/LambdaClient' {
  export { LambdaClient } from '@aws-sdk/client-lambda';
}
declare module '@aws-sdk/client-eventbridge/dist-es/EventBridgeClient' {
  export { EventBridgeClient } from '@aws-sdk/client-eventbridge';
}
declare module '@aws-sdk/client-eventbridge/dist-es/commands/PutEventsCommand' {
  export { PutEventsCommand } from '@aws-sdk/client-eventbridge';
}
