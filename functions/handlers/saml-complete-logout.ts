import { esHandler } from '../http/es-handler';
import { jsonResponse } from '../http/responses';
import { Actions, authorize } from '../security/authorization';
import { parseCompleteLogoutRequest } from '../security/saml/requests';
import { defaultService, type Service } from '../service';

/** `POST /_security/saml/complete_logout` (SAML-C-1..SAML-C-4): checks the IdP's LogoutResponse. */
export const createSamlCompleteLogoutHandler = (service: () => Service) =>
  esHandler(service, { body: 'required' }, async (event, { caller, rawBody }, { saml, roles }) => {
    const request = parseCompleteLogoutRequest(event.body, rawBody);
    await authorize(caller, Actions.samlCompleteLogout, roles);
    return jsonResponse(200, await saml.completeLogout(request));
  });

export const handler = createSamlCompleteLogoutHandler(defaultService);
