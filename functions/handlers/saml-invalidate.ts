import { functionService } from '../composition/function-service';
import { singleSignOnOf } from '../composition/single-sign-on';
import { parseInvalidateRequest } from '../security/saml/requests';
import { jsonCall } from './shapes';

/** `POST /_security/saml/invalidate` (SAML-I-1..SAML-I-5): IdP-initiated logout of the pairs of one session. */
export const createHandler = jsonCall(parseInvalidateRequest, (request, { saml }) => saml.invalidate(request));

export const handler = createHandler(functionService(singleSignOnOf));
