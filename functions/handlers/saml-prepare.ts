import { functionService } from '../composition/function-service';
import { singleSignOnOf } from '../composition/single-sign-on';
import { parsePrepareRequest } from '../security/saml/requests';
import { jsonCall } from './shapes';

/** `POST /_security/saml/prepare` (SAML-P-1..SAML-P-5): `{realm, id, redirect}`; the caller keeps `id`. */
export const createHandler = jsonCall(parsePrepareRequest, (request, { saml }) => saml.prepare(request));

export const handler = createHandler(functionService(singleSignOnOf));
