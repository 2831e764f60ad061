import { esHandler } from '../http/es-handler';
import { jsonResponse } from '../http/responses';
import { Actions, authorize } from '../security/authorization';
import { parseAuthenticateRequest } from '../security/saml/requests';
import { defaultService, type Service } from '../service';

/** `POST /_security/saml/authenticate` (SAML-A-1..SAML-A-3): a token pair for the end user, created by the caller. */
export const createSamlAuthenticateHandler = (service: () => Service) =>
  esHandler(service, { body: 'required' }, async (event, { caller, rawBody }, { saml, roles }) => {
    const request = parseAuthenticateRequest(event.body, rawBody);
    await authorize(caller, Actions.samlAuthenticate, roles);
    return jsonResponse(200, await saml.authenticate(request, caller));
  });

export const handler = createSamlAuthenticateHandler(defaultService);
