/**
 * The two names of the EventBridge client the revocation events use, in a module of their own: imported
 * dynamically (eventbridge-revocation-events.ts), only the functions that invalidate load it, at their first
 * announcement, and the client's index would bring every command of the EventBridge API.
 */
export { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
