import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import * as APIS from '../api/registry';
import { invalidateTokensChange } from '../audit/security-changes';
import { eventBridgeRevocationEvents } from '../aws/eventbridge-revocation-events';
import { isResumeSweepsEvent, isSweepEvent, type ResumeSweepsEvent, type SweepEvent } from '../aws/lambda-sweep-continuation';
import type { Core } from '../composition/core';
import { functionService } from '../composition/function-service';
import { lambdaContinuation, type Sweeps, sweepsFor } from '../composition/sweeps';
import { apiHandler } from '../http/api-handler';
import { warningHeader } from '../http/product';
import { jsonResponse } from '../http/responses';
import { countTokensInvalidated } from '../telemetry/metrics';
import { parseInvalidateRequest } from '../tokens/invalidate-token';
import { continueSweep, resumeOrphanedSweeps } from '../tokens/sweep-background';

/** What the invalidation function runs on: the core, and the sweeps that go on in the background. */
export type InvalidationService = Core & Sweeps;

/**
 * An Elasticsearch warning: the answer's counts are those reached before the time budget ran out. The
 * agent must read `Elasticsearch-<version>-<build>`: the official clients drop any other warning.
 */
const CONTINUING_WARNING = warningHeader(
  'the invalidation continues in the background: the counts are those of the token pairs reached before the time budget ran out',
);

/** `DELETE /_security/oauth2/token` */
export const createHandler = (service: () => InvalidationService) =>
  apiHandler(service, APIS.invalidateToken, {
    body: 'required',
    parse: (event, { rawBody }) => parseInvalidateRequest(event.body, rawBody),
    run: async (request, { audit }, { invalidation }) => {
      const result = await invalidation.invalidate(request);
      audit?.securityChange(invalidateTokensChange(request, result.response));
      countTokensInvalidated(result.response.invalidated_tokens);
      const headers = result.continuing ? { Warning: [CONTINUING_WARNING] } : undefined;
      return jsonResponse(result.found ? 200 : 404, result.response, headers);
    },
  });

/** The whole function: the API, and the events it sends itself or gets from its schedule. */
export const createInvalidateFunction = (service: () => InvalidationService) => {
  const httpHandler = createHandler(service);
  return async (
    event: APIGatewayProxyEvent | SweepEvent | ResumeSweepsEvent,
    context: Context,
  ): Promise<APIGatewayProxyResult | undefined> => {
    if (isSweepEvent(event)) return void (await continueSweep(service().sweeps, event.invalidationSweep));
    if (isResumeSweepsEvent(event)) return void (await resumeOrphanedSweeps(service().sweeps));
    return httpHandler(event, context);
  };
};

export const handler = createInvalidateFunction(
  functionService((core) => sweepsFor(core, { continuation: lambdaContinuation(core.config) }), {
    revocationEvents: eventBridgeRevocationEvents,
  }),
);
