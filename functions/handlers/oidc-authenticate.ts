import { esHandler } from '../http/es-handler';
import { jsonResponse } from '../http/responses';
import { Actions, authorize } from '../security/authorization';
import { parseAuthenticateRequest } from '../security/oidc/requests';
import { defaultService, type Service } from '../service';

/** `POST /_security/oidc/authenticate` (OIDC-A-1..OIDC-A-8): a token pair for the end user, created by the caller. */
export const createOidcAuthenticateHandler = (service: () => Service) =>
  esHandler(service, { body: 'required' }, async (event, { caller, rawBody }, { oidc, roles }) => {
    const request = parseAuthenticateRequest(event.body, rawBody);
    await authorize(caller, Actions.oidcAuthenticate, roles);
    return jsonResponse(200, await oidc.authenticate(request, caller));
  });

export const handler = createOidcAuthenticateHandler(defaultService);
