// The AWS clients' own modules (eventbridge-put.ts) are the index's classes: typed as the index types them.
declare module '@aws-sdk/client-eventbridge/dist-es/EventBridgeClient' {
  export { EventBridgeClient } from '@aws-sdk/client-eventbridge';
}
declare module '@aws-sdk/client-eventbridge/dist-es/commands/PutEventsCommand' {
  export { PutEventsCommand } from '@aws-sdk/client-eventbridge';
}
