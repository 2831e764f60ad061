import * as APIS from '../api/registry';
import { functionService } from '../composition/function-service';
import { samlSignOnOf } from '../composition/saml-sign-on';
import { parseCompleteLogoutRequest } from '../security/authc/saml/requests';
import { jsonCall, type SamlSignOnService } from './shapes';

/** `POST /_security/saml/complete_logout` (SAML-C-1..SAML-C-4): checks the IdP's LogoutResponse. */
export const createHandler = jsonCall(
  APIS.samlCompleteLogout,
  parseCompleteLogoutRequest,
  (request, { saml }: SamlSignOnService) => saml.completeLogout(request),
);

export const handler = createHandler(functionService(samlSignOnOf));
