import { writeFileRealm } from './file-realm';
import { keyPair, type ServiceProviderSettings, startTestIdp, type TestIdp, writeSamlRealms } from './saml-idp';
import type { ResponseFields } from './saml-messages';
import { startTestApi, type TestApi } from './test-api';

/** Elasticsearch's 401 for a failed SAML authentication (SamlRealm, via the authenticate action). */
export const SAML_AUTHENTICATION_FAILED =
  'unable to authenticate user [<unauthenticated-saml-user>] for action [cluster:admin/xpack/security/saml/authenticate]';

/** The SP of Elasticsearch's SAML guide (Kibana in front), with a key pair of its own for each test file. */
export function kibanaSp(keyName: string): ServiceProviderSettings & ReturnType<typeof keyPair> {
  return {
    entityId: 'https://kibana.example.com/',
    acs: 'https://kibana.example.com/api/security/saml/callback',
    logout: 'https://kibana.example.com/logout',
    ...keyPair(keyName),
  };
}

export interface SamlRealmApi {
  readonly idp: TestIdp;
  readonly api: TestApi;
  close(): Promise<void>;
}

/** A samlify IdP on loopback and a local API whose realm `saml1` trusts it: one of each per test file. */
export async function startSamlRealmApi(
  sp: ReturnType<typeof kibanaSp>,
  options: Parameters<typeof startTestApi>[1] = {},
): Promise<SamlRealmApi> {
  const idp = await startTestIdp(sp);
  const dir = await writeFileRealm();
  writeSamlRealms(dir, idp, sp, [{ name: 'saml1' }]);
  const api = await startTestApi({ ES_PATH_CONF: dir }, options);
  return {
    idp,
    api,
    close: async () => {
      await api.close();
      await idp.stop();
    },
  };
}

/**
 * The fields of a well-formed Response from the realm's IdP to `sp`, answering `inResponseTo`, for `user` (its
 * NameID is `<user>-nameid`), valid from a second before the API's clock for five minutes: each test overrides the
 * one field its attack or check is about.
 */
export function responseFields(
  { idp, api }: SamlRealmApi,
  sp: ServiceProviderSettings,
  inResponseTo: string,
  user: string,
  overrides: Partial<ResponseFields> = {},
): ResponseFields {
  const now = api.clock.time;
  return {
    issuer: idp.entityId,
    destination: sp.acs,
    inResponseTo,
    audience: sp.entityId,
    recipient: sp.acs,
    nameId: `${user}-nameid`,
    uid: user,
    notBefore: new Date(now - 1_000),
    notOnOrAfter: new Date(now + 5 * 60_000),
    ...overrides,
  };
}
