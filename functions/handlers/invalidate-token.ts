import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { isResumeSweepsEvent, isSweepEvent, type ResumeSweepsEvent, type SweepEvent } from '../aws/lambda-sweep-continuation';
import { apiHandler } from '../http/api-handler';
import { warningHeader } from '../http/product';
import { jsonResponse } from '../http/responses';
import { defaultService, type Service } from '../service';
import { logger } from '../telemetry/logger';
import { countTokensInvalidated, publishMetrics } from '../telemetry/metrics';
import { parseInvalidateRequest } from '../tokens/invalidate-token';

/**
 * An Elasticsearch warning: the answer's counts are those reached before the time budget ran out. The
 * agent must read `Elasticsearch-<version>-<build>`: the official clients drop any other warning.
 */
const CONTINUING_WARNING = warningHeader(
  'the invalidation continues in the background: the counts are those of the token pairs reached before the time budget ran out',
);

/** `DELETE /_security/oauth2/token` */
export const createHandler = (service: () => Service) =>
  apiHandler(service, {
    body: 'required',
    parse: (event, { rawBody }) => parseInvalidateRequest(event.body, rawBody),
    run: async (request, _context, { invalidation }) => {
      const result = await invalidation.invalidate(request);
      countTokensInvalidated(result.response.invalidated_tokens);
      const headers = result.continuing ? { Warning: [CONTINUING_WARNING] } : undefined;
      return jsonResponse(result.found ? 200 : 404, result.response, headers);
    },
  });

/** A sweep job that failed in a background run: thrown so that Lambda retries it, then sends it to the failure queue. */
export class SweepFailedError extends Error {
  constructor(readonly jobId: string) {
    super(`invalidation sweep ${jobId} gave up`);
    this.name = 'SweepFailedError';
  }
}

/**
 * A sweep this function handed to itself (or a retry or redrive of one): one budget of it from its record,
 * the rest handed on again. A job that gave up — or a job this run could not read — fails the invocation, so
 * that the event ends in the on-failure destination rather than vanishing.
 */
async function continueSweep({ invalidationSweep }: SweepEvent, service: Service): Promise<void> {
  try {
    // Lambda's retries of an event that gave up fail again at once, so the event reaches the failure queue.
    const result = await service.sweeps.resume(invalidationSweep.jobId, { failed: invalidationSweep.redrive === true });
    if (result === undefined) return void logger.info('invalidation sweep not taken: done, or held by another run');
    logger.info('background invalidation', {
      jobId: invalidationSweep.jobId,
      invalidated: result.tally.invalidated,
      previouslyInvalidated: result.tally.previouslyInvalidated,
      errors: result.tally.errors.length,
      continuing: result.continuing,
    });
    if (result.failed) throw new SweepFailedError(invalidationSweep.jobId);
  } finally {
    publishMetrics();
  }
}

/** The scheduled resumer: hands on every job whose runner stopped reporting (crashed, timed out, lost its event). */
async function resumeOrphans(service: Service): Promise<void> {
  const orphans = await service.sweeps.orphans();
  for (const jobId of orphans) await service.continuation.continueLater(jobId);
  if (orphans.length > 0) logger.info('invalidation sweeps handed on by the resumer', { jobs: orphans.length });
}

/** The whole function: the API, and the events it sends itself or gets from its schedule. */
export const createInvalidateFunction = (service: () => Service) => {
  const httpHandler = createHandler(service);
  return async (
    event: APIGatewayProxyEvent | SweepEvent | ResumeSweepsEvent,
    context: Context,
  ): Promise<APIGatewayProxyResult | undefined> => {
    if (isSweepEvent(event)) return void (await continueSweep(event, service()));
    if (isResumeSweepsEvent(event)) return void (await resumeOrphans(service()));
    return httpHandler(event, context);
  };
};

export const handler = createInvalidateFunction(defaultService);
