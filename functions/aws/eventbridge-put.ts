/**
 * The two names of the EventBridge client the revocation events use, in a module of their own, imported
 * dynamically (eventbridge-revocation-events.ts): only the functions that invalidate load it, during their
 * first request. They come from the client's own modules, not its index: esbuild keeps the index's aggregated
 * client and everything it names when this module's namespace re-exports from it. Typed from the index
 * (aws-client-modules.d.ts).
 */

export { PutEventsCommand } from '@aws-sdk/client-eventbridge/dist-es/commands/PutEventsCommand';
export { EventBridgeClient } from '@aws-sdk/client-eventbridge/dist-es/EventBridgeClient';
