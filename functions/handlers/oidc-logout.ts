import * as APIS from '../api/registry';
import { eventBridgeRevocationEvents } from '../aws/eventbridge-revocation-events';
import { functionService } from '../composition/function-service';
import { oidcSignOnOf } from '../composition/oidc-sign-on';
import { parseLogoutRequest } from '../security/authc/oidc/requests';
import { jsonCall, type OidcSignOnService } from './shapes';

/** `POST /_security/oidc/logout` (OIDC-L-1..OIDC-L-4): invalidates the pair, answers the provider's logout URL. */
export const createHandler = jsonCall(APIS.oidcLogout, parseLogoutRequest, (request, { oidc }: OidcSignOnService) =>
  oidc.logout(request),
);

export const handler = createHandler(functionService(oidcSignOnOf, { revocationEvents: eventBridgeRevocationEvents }));
