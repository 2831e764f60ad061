import { createHandler } from '../../functions/authorizer/handler';
import { createAuthorizerService } from '../../functions/composition/authorizer';
import { restRequestEvent } from '../support/authorizer-events';
import type { BenchEnvironment } from './fixtures';
import { createHandlers } from './lambda';
import type { ScenarioContext } from './operations';
import { bearerAuthentication, type OperationResult, runOperationScenario } from './operations';
import type { BenchOptions } from './options';

/**
 * The API Gateway authorizer (functions/authorizer) next to `_authenticate`: the same tokens, the same floor (the
 * BatchGetItem of the pair and its three watermark items), measured with the operation suite's method. The
 * authorizer runs its own composition over the same metered client, with no role or privilege required (the
 * default): one read a request, as `_authenticate`.
 */
const THROUGH_AUTHORIZER = {
  id: 'authorizer-rest-request',
  label: 'authorizer: REST REQUEST event, Bearer token',
  use(context: ScenarioContext) {
    const service = createAuthorizerService(
      context.config,
      { anyRole: [], anyPrivilege: [] },
      { documents: context.env.metered.client },
    );
    const handler = createHandler(() => service);
    return async (authorization: string) => {
      const answer = await handler(restRequestEvent({ Authorization: authorization }));
      if (!('principalId' in answer)) throw new Error('the authorizer refused a valid token');
    };
  },
};

export async function runAuthorizerSuite(
  env: BenchEnvironment,
  options: BenchOptions,
  progress: (line: string) => void,
): Promise<OperationResult[]> {
  const table = await env.createTable();
  const service = env.service(table);
  const context = { env, table, config: service.config, handlers: createHandlers(service) };
  const results: OperationResult[] = [];
  for (const scenario of [bearerAuthentication(false), bearerAuthentication(false, THROUGH_AUTHORIZER)]) {
    progress(scenario.label);
    results.push(await runOperationScenario(scenario, context, options));
  }
  await env.dropTable(table);
  return results;
}
