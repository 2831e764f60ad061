/**
 * How the service's revocation events are told apart on a bus: their source and detail-type. A leaf module:
 * the functions put events with them and the CDK constructs match rules on them.
 */
export const REVOCATION_EVENT_SOURCE = 'es-token-service';
export const REVOCATION_DETAIL_TYPE = 'Tokens Invalidated';
