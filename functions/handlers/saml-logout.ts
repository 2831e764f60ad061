import * as APIS from '../api/registry';
import { eventBridgeRevocationEvents } from '../aws/eventbridge-revocation-events';
import { functionService } from '../composition/function-service';
import { samlSignOnOf } from '../composition/saml-sign-on';
import { parseLogoutRequest } from '../security/authc/saml/requests';
import { jsonCall, type SamlSignOnService } from './shapes';

/** `POST /_security/saml/logout` (SAML-L-1..SAML-L-4): invalidates the pair, answers the LogoutRequest redirect. */
export const createHandler = jsonCall(APIS.samlLogout, parseLogoutRequest, (request, { saml }: SamlSignOnService) =>
  saml.logout(request),
);

export const handler = createHandler(functionService(samlSignOnOf, { revocationEvents: eventBridgeRevocationEvents }));
