import { esHandler } from '../http/es-handler';
import { jsonResponse } from '../http/responses';
import { defaultService, type Service } from '../service';

/** `GET /_security/_authenticate`: any authenticated caller may ask who it is (AU-1). */
export const createAuthenticateHandler = (service: () => Service) =>
  esHandler(service, { body: 'none' }, async (_event, { caller }) => jsonResponse(200, caller));

export const handler = createAuthenticateHandler(defaultService);
