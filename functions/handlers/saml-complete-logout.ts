import { parseCompleteLogoutRequest } from '../security/saml/requests';
import { defaultService } from '../service';
import { jsonCall } from './shapes';

/** `POST /_security/saml/complete_logout` (SAML-C-1..SAML-C-4): checks the IdP's LogoutResponse. */
export const createHandler = jsonCall(parseCompleteLogoutRequest, (request, { saml }) => saml.completeLogout(request));

export const handler = createHandler(defaultService);
