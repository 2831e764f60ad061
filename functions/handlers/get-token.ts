import * as APIS from '../api/registry';
import { actionFor, assertValidTokenRequest, getToken, parseTokenRequest } from '../app/get-token';
import type { Core } from '../composition/core';
import { functionService } from '../composition/function-service';
import { apiHandler } from '../http/api-handler';
import { jsonResponse } from '../http/responses';
import { countTokenGrant } from '../telemetry/metrics';

/** `POST /_security/oauth2/token`: validated (GT-1..GT-6) before it is authorized, for the action its grant needs. */
export const createHandler = (service: () => Core) =>
  apiHandler(service, APIS.getToken, {
    body: 'required',
    parse: (event, { rawBody }) => {
      const request = parseTokenRequest(event.body, rawBody);
      assertValidTokenRequest(request);
      return request;
    },
    privilege: actionFor,
    run: async (request, { caller }, { tokens, realms }) => {
      const response = await getToken(request, caller, { tokens, realms });
      countTokenGrant(request.grant_type);
      return jsonResponse(200, response);
    },
  });

export const handler = createHandler(functionService());
