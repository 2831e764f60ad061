import { esHandler } from '../http/es-handler';
import { jsonResponse } from '../http/responses';
import { Actions, authorize } from '../security/authorization';
import { parseInvalidateRequest } from '../security/saml/requests';
import { defaultService, type Service } from '../service';

/** `POST /_security/saml/invalidate` (SAML-I-1..SAML-I-5): IdP-initiated logout of the pairs of one session. */
export const createSamlInvalidateHandler = (service: () => Service) =>
  esHandler(service, { body: 'required' }, async (event, { caller, rawBody }, { saml, roles }) => {
    const request = parseInvalidateRequest(event.body, rawBody);
    await authorize(caller, Actions.samlInvalidate, roles);
    return jsonResponse(200, await saml.invalidate(request));
  });

export const handler = createSamlInvalidateHandler(defaultService);
