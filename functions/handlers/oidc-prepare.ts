import * as APIS from '../api/registry';
import { functionService } from '../composition/function-service';
import { oidcSignOnOf } from '../composition/oidc-sign-on';
import { parsePrepareRequest } from '../security/authc/oidc/requests';
import { jsonCall, type OidcSignOnService } from './shapes';

/** `POST /_security/oidc/prepare` (OIDC-P-1..OIDC-P-6): `{redirect, state, nonce, realm}`. */
export const createHandler = jsonCall(APIS.oidcPrepare, parsePrepareRequest, (request, { oidc }: OidcSignOnService) =>
  oidc.prepare(request),
);

export const handler = createHandler(functionService(oidcSignOnOf));
