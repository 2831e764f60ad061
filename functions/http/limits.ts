import { RequestTooLargeError } from '../errors';

/**
 * The HTTP layer's limits, in a module of their own: the CDK stack (API Gateway's answers) and the local API
 * read them without loading the request pipeline, its middleware and its Powertools utilities.
 */

/** Token and user requests are small; a cap keeps a hostile body from costing memory or DynamoDB item size. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The one answer to a body over the limit, whoever refuses it (the pipeline, the local API, API Gateway). */
export const bodyTooLarge = () => new RequestTooLargeError(`request body is larger than the limit of [${MAX_BODY_BYTES}] bytes`);
