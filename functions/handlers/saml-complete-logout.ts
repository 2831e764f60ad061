import { functionService } from '../composition/function-service';
import { singleSignOnOf } from '../composition/single-sign-on';
import { parseCompleteLogoutRequest } from '../security/saml/requests';
import { jsonCall } from './shapes';

/** `POST /_security/saml/complete_logout` (SAML-C-1..SAML-C-4): checks the IdP's LogoutResponse. */
export const createHandler = jsonCall(parseCompleteLogoutRequest, (request, { saml }) => saml.completeLogout(request));

export const handler = createHandler(functionService(singleSignOnOf));
