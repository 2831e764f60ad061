import { apiHandler } from '../http/api-handler';
import { requiredPathParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import { defaultService, type Service } from '../service';

/** `GET /_security/saml/metadata/{realm_name}` (SAML-M-1, SAML-M-2): `{"metadata": "<SP metadata XML>"}`. */
export const createHandler = (service: () => Service) =>
  apiHandler(service, {
    body: 'none',
    parse: (event) => requiredPathParameter(event, 'realm_name'),
    run: async (realm, _context, { saml }) => jsonResponse(200, await saml.metadata(realm)),
  });

export const handler = createHandler(defaultService);
