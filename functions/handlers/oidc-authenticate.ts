import * as APIS from '../api/registry';
import { functionService } from '../composition/function-service';
import { oidcSignOnOf } from '../composition/oidc-sign-on';
import { parseAuthenticateRequest } from '../security/authc/oidc/requests';
import { jsonCall, type OidcSignOnService } from './shapes';

/** `POST /_security/oidc/authenticate` (OIDC-A-1..OIDC-A-8): a token pair for the end user, created by the caller. */
export const createHandler = jsonCall(
  APIS.oidcAuthenticate,
  parseAuthenticateRequest,
  (request, { oidc }: OidcSignOnService, { caller }) => oidc.authenticate(request, caller),
);

export const handler = createHandler(functionService(oidcSignOnOf));
