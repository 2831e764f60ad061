import { esHandler } from '../http/es-handler';
import { jsonResponse } from '../http/responses';
import { Actions } from '../security/authorization';
import { assertRunAsPermitted } from '../security/run-as';
import { defaultService, type Service } from '../service';

/** `GET /_security/_authenticate`: any authenticated caller may ask who it is (AU-1), as itself or as whom it runs as. */
export const createAuthenticateHandler = (service: () => Service) =>
  esHandler(service, { body: 'none' }, async (_event, { caller }) => {
    assertRunAsPermitted(caller, Actions.authenticate.name);
    return jsonResponse(200, caller);
  });

export const handler = createAuthenticateHandler(defaultService);
