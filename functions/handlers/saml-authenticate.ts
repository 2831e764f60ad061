import * as APIS from '../api/registry';
import { functionService } from '../composition/function-service';
import { samlSignOnOf } from '../composition/saml-sign-on';
import { parseAuthenticateRequest } from '../security/authc/saml/requests';
import { jsonCall, type SamlSignOnService } from './shapes';

/** `POST /_security/saml/authenticate` (SAML-A-1..SAML-A-3): a token pair for the end user, created by the caller. */
export const createHandler = jsonCall(
  APIS.samlAuthenticate,
  parseAuthenticateRequest,
  (request, { saml }: SamlSignOnService, { caller }) => saml.authenticate(request, caller),
);

export const handler = createHandler(functionService(samlSignOnOf));
