import type { ApiEntry } from '../api/api-entry';
import { deleteChange } from '../audit/security-changes';
import type { Administration } from '../composition/administration';
import type { Core } from '../composition/core';
import type { OidcSignOn } from '../composition/oidc-sign-on';
import type { SamlSignOn } from '../composition/saml-sign-on';
import { apiHandler } from '../http/api-handler';
import type { EsContext } from '../http/es-handler';
import { nameListParameter, requiredPathParameter } from '../http/path-parameters';
import { jsonResponse } from '../http/responses';

/**
 * The shapes several APIs share, written once: deleting by name, getting by a list of names, and a call on
 * a JSON body. Each API's module gives only what differs.
 */

/** What the administration APIs (users, roles, role mappings) run on. */
export type AdministrationService = Core & Administration;
/** What the OpenID Connect APIs run on. */
export type OidcSignOnService = Core & OidcSignOn;
/** What the SAML APIs run on. */
export type SamlSignOnService = Core & SamlSignOn;

/** `DELETE .../{name}`: `{"found": bool}`, with 404 when there was no such one. */
export const deleteByName =
  (
    entry: ApiEntry,
    parameter: string,
    store: (service: AdministrationService) => { delete(name: string): Promise<boolean> },
    audited: Parameters<typeof deleteChange>[0],
  ) =>
  (service: () => AdministrationService) =>
    apiHandler(service, entry, {
      body: 'none',
      params: ['refresh'],
      parse: (event) => requiredPathParameter(event, parameter),
      securityChange: (name) => deleteChange(audited, name),
      run: async (name, _context, services) => {
        const found = await store(services).delete(name);
        return jsonResponse(found ? 200 : 404, { found });
      },
    });

/** `GET ...[/{names}]`: `{name: description}`; 404 `{}` when the names asked for are all unknown. */
export const getByNames =
  <T>(
    entry: ApiEntry,
    parameter: string,
    store: (service: AdministrationService) => { get(names: readonly string[]): Promise<readonly T[]> },
    describe: (found: T) => [name: string, description: unknown],
    params: readonly string[] = [],
  ) =>
  (service: () => AdministrationService) =>
    apiHandler(service, entry, {
      body: 'none',
      params,
      parse: (event) => nameListParameter(event, parameter),
      run: async (names, _context, services) => {
        const found = await store(services).get(names);
        if (names.length > 0 && found.length === 0) return jsonResponse(404, {});
        return jsonResponse(200, Object.fromEntries(found.map(describe)));
      },
    });

/** `POST` of a JSON body, answered 200 with what `call` returns. */
export const jsonCall =
  <R, S extends Core>(
    entry: ApiEntry,
    parse: (body: unknown, rawBody: string) => R,
    call: (request: R, service: S, context: EsContext) => Promise<unknown>,
  ) =>
  (service: () => S) =>
    apiHandler(service, entry, {
      body: 'required',
      parse: (event, { rawBody }) => parse(event.body, rawBody),
      run: async (request, context, services) => jsonResponse(200, await call(request, services, context)),
    });
