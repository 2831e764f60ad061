import { functionService } from '../composition/function-service';
import { singleSignOnOf } from '../composition/single-sign-on';
import { parsePrepareRequest } from '../security/oidc/requests';
import { jsonCall } from './shapes';

/** `POST /_security/oidc/prepare` (OIDC-P-1..OIDC-P-6): `{redirect, state, nonce, realm}`. */
export const createHandler = jsonCall(parsePrepareRequest, (request, { oidc }) => oidc.prepare(request));

export const handler = createHandler(functionService(singleSignOnOf));
