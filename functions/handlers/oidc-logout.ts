import { esHandler } from '../http/es-handler';
import { jsonResponse } from '../http/responses';
import { Actions, authorize } from '../security/authorization';
import { parseLogoutRequest } from '../security/oidc/requests';
import { defaultService, type Service } from '../service';

/** `POST /_security/oidc/logout` (OIDC-L-1..OIDC-L-4): invalidates the pair, answers the provider's logout URL. */
export const createOidcLogoutHandler = (service: () => Service) =>
  esHandler(service, { body: 'required' }, async (event, { caller, rawBody }, { oidc, roles }) => {
    const request = parseLogoutRequest(event.body, rawBody);
    await authorize(caller, Actions.oidcLogout, roles);
    return jsonResponse(200, await oidc.logout(request));
  });

export const handler = createOidcLogoutHandler(defaultService);
