import { parseInvalidateRequest } from '../security/saml/requests';
import { defaultService } from '../service';
import { jsonCall } from './shapes';

/** `POST /_security/saml/invalidate` (SAML-I-1..SAML-I-5): IdP-initiated logout of the pairs of one session. */
export const createHandler = jsonCall(parseInvalidateRequest, (request, { saml }) => saml.invalidate(request));

export const handler = createHandler(defaultService);
