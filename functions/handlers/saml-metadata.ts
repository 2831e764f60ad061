import * as APIS from '../api/registry';
import { functionService } from '../composition/function-service';
import { samlSignOnOf } from '../composition/saml-sign-on';
import { apiHandler } from '../http/api-handler';
import { requiredPathParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import type { SamlSignOnService } from './shapes';

/** `GET /_security/saml/metadata/{realm_name}` (SAML-M-1, SAML-M-2): `{"metadata": "<SP metadata XML>"}`. */
export const createHandler = (service: () => SamlSignOnService) =>
  apiHandler(service, APIS.samlMetadata, {
    body: 'none',
    parse: (event) => requiredPathParameter(event, 'realm_name'),
    run: async (realm, _context, { saml }) => jsonResponse(200, await saml.metadata(realm)),
  });

export const handler = createHandler(functionService(samlSignOnOf));
