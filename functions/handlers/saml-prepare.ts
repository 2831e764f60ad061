import { esHandler } from '../http/es-handler';
import { jsonResponse } from '../http/responses';
import { Actions, authorize } from '../security/authorization';
import { parsePrepareRequest } from '../security/saml/requests';
import { defaultService, type Service } from '../service';

/** `POST /_security/saml/prepare` (SAML-P-1..SAML-P-5): `{realm, id, redirect}`; the caller keeps `id`. */
export const createSamlPrepareHandler = (service: () => Service) =>
  esHandler(service, { body: 'required' }, async (event, { caller, rawBody }, { saml, roles }) => {
    const request = parsePrepareRequest(event.body, rawBody);
    await authorize(caller, Actions.samlPrepare, roles);
    return jsonResponse(200, await saml.prepare(request));
  });

export const handler = createSamlPrepareHandler(defaultService);
