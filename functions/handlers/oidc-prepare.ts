import { esHandler } from '../http/es-handler';
import { jsonResponse } from '../http/responses';
import { Actions, authorize } from '../security/authorization';
import { parsePrepareRequest } from '../security/oidc/requests';
import { defaultService, type Service } from '../service';

/** `POST /_security/oidc/prepare` (OIDC-P-1..OIDC-P-6): `{redirect, state, nonce, realm}`. */
export const createOidcPrepareHandler = (service: () => Service) =>
  esHandler(service, { body: 'required' }, async (event, { caller, rawBody }, { oidc, roles }) => {
    const request = parsePrepareRequest(event.body, rawBody);
    await authorize(caller, Actions.oidcPrepare, roles);
    return jsonResponse(200, await oidc.prepare(request));
  });

export const handler = createOidcPrepareHandler(defaultService);
