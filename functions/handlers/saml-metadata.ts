import { esHandler } from '../http/es-handler';
import { requiredPathParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';
import { Actions, authorize } from '../security/authorization';
import { defaultService, type Service } from '../service';

/** `GET /_security/saml/metadata/{realm_name}` (SAML-M-1, SAML-M-2): `{"metadata": "<SP metadata XML>"}`. */
export const createSamlMetadataHandler = (service: () => Service) =>
  esHandler(service, { body: 'none' }, async (event, { caller }, { saml, roles }) => {
    const realm = requiredPathParameter(event, 'realm_name');
    await authorize(caller, Actions.samlMetadata, roles);
    return jsonResponse(200, await saml.metadata(realm));
  });

export const handler = createSamlMetadataHandler(defaultService);
