import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { isSweepEvent, type SweepEvent } from '../aws/lambda-sweep-continuation';
import { esHandler } from '../http/es-handler';
import { logger } from '../http/logger';
import { countTokensInvalidated } from '../http/metrics';
import { warningHeader } from '../http/product';
import { jsonResponse } from '../http/responses';
import { Actions, authorize } from '../security/authorization';
import { defaultService, type Service } from '../service';
import { parseInvalidateRequest } from '../tokens/invalidate-token';

/**
 * An Elasticsearch warning: the answer's counts are those reached before the time budget ran out. The
 * agent must read `Elasticsearch-<version>-<build>`: the official clients drop any other warning.
 */
const CONTINUING_WARNING = warningHeader(
  'the invalidation continues in the background: the counts are those of the token pairs reached before the time budget ran out',
);

/** `DELETE /_security/oauth2/token` */
export const createInvalidateTokenHandler = (service: () => Service) =>
  esHandler(service, { body: 'required' }, async (event, { caller, rawBody }, { invalidation, roles }) => {
    const request = parseInvalidateRequest(event.body, rawBody);
    await authorize(caller, Actions.invalidateToken, roles);
    const result = await invalidation.invalidate(request);
    countTokensInvalidated(result.response.invalidated_tokens);
    return jsonResponse(
      result.found ? 200 : 404,
      result.response,
      result.continuing ? { Warning: [CONTINUING_WARNING] } : undefined,
    );
  });

/** A sweep this function handed to itself: run one budget of it, and hand on what is left again. */
async function continueSweep({ invalidationSweep }: SweepEvent, service: Service): Promise<void> {
  const { tally, remaining } = await service.sweep.run(invalidationSweep);
  logger.info('background invalidation', {
    invalidated: tally.invalidated,
    previouslyInvalidated: tally.previouslyInvalidated,
    errors: tally.errors.length,
    continuing: remaining !== undefined,
  });
  if (remaining !== undefined) await service.continuation.continueLater(remaining);
}

const httpHandler = createInvalidateTokenHandler(defaultService);

export const handler = async (
  event: APIGatewayProxyEvent | SweepEvent,
  context: Context,
): Promise<APIGatewayProxyResult | undefined> => {
  if (isSweepEvent(event)) return void (await continueSweep(event, defaultService()));
  return httpHandler(event as never, context as never);
};
