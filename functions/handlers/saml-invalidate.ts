import * as APIS from '../api/registry';
import { eventBridgeRevocationEvents } from '../aws/eventbridge-revocation-events';
import { functionService } from '../composition/function-service';
import { samlSignOnOf } from '../composition/saml-sign-on';
import { parseInvalidateRequest } from '../security/authc/saml/requests';
import { jsonCall, type SamlSignOnService } from './shapes';

/** `POST /_security/saml/invalidate` (SAML-I-1..SAML-I-5): IdP-initiated logout of the pairs of one session. */
export const createHandler = jsonCall(APIS.samlInvalidate, parseInvalidateRequest, (request, { saml }: SamlSignOnService) =>
  saml.invalidate(request),
);

export const handler = createHandler(functionService(samlSignOnOf, { revocationEvents: eventBridgeRevocationEvents }));
