import { esHandler } from '../http/es-handler';
import { jsonResponse } from '../http/responses';
import { Actions, authorize } from '../security/authorization';
import { parseLogoutRequest } from '../security/saml/requests';
import { defaultService, type Service } from '../service';

/** `POST /_security/saml/logout` (SAML-L-1..SAML-L-4): invalidates the pair, answers the LogoutRequest redirect. */
export const createSamlLogoutHandler = (service: () => Service) =>
  esHandler(service, { body: 'required' }, async (event, { caller, rawBody }, { saml, roles }) => {
    const request = parseLogoutRequest(event.body, rawBody);
    await authorize(caller, Actions.samlLogout, roles);
    return jsonResponse(200, await saml.logout(request));
  });

export const handler = createSamlLogoutHandler(defaultService);
