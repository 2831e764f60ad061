import * as APIS from '../api/registry';
import { functionService } from '../composition/function-service';
import { samlSignOnOf } from '../composition/saml-sign-on';
import { parsePrepareRequest } from '../security/authc/saml/requests';
import { jsonCall, type SamlSignOnService } from './shapes';

/** `POST /_security/saml/prepare` (SAML-P-1..SAML-P-5): `{realm, id, redirect}`; the caller keeps `id`. */
export const createHandler = jsonCall(APIS.samlPrepare, parsePrepareRequest, (request, { saml }: SamlSignOnService) =>
  saml.prepare(request),
);

export const handler = createHandler(functionService(samlSignOnOf));
