import { parsePrepareRequest } from '../security/saml/requests';
import { defaultService } from '../service';
import { jsonCall } from './shapes';

/** `POST /_security/saml/prepare` (SAML-P-1..SAML-P-5): `{realm, id, redirect}`; the caller keeps `id`. */
export const createHandler = jsonCall(parsePrepareRequest, (request, { saml }) => saml.prepare(request));

export const handler = createHandler(defaultService);
