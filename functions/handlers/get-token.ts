import { esHandler } from '../http/es-handler';
import { countTokenGrant } from '../http/metrics';
import { jsonResponse } from '../http/responses';
import { authorize } from '../security/authorization';
import { defaultService, type Service } from '../service';
import { actionFor, assertValidTokenRequest, getToken, parseTokenRequest } from '../tokens/get-token';

/** `POST /_security/oauth2/token` */
export const createGetTokenHandler = (service: () => Service) =>
  esHandler(service, { body: 'required' }, async (event, { caller, rawBody }, { tokens, realms, roles }) => {
    const request = parseTokenRequest(event.body, rawBody);
    assertValidTokenRequest(request);
    await authorize(caller, actionFor(request), roles);
    const response = await getToken(request, caller, { tokens, realms });
    countTokenGrant(request.grant_type);
    return jsonResponse(200, response);
  });

export const handler = createGetTokenHandler(defaultService);
