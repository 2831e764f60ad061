import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as samlify from 'samlify';
import type { RequestInfo } from 'samlify/types/src/types';

/**
 * A real SAML identity provider for the tests: samlify in the IdP role behind a loopback HTTP server (HTTP-Redirect
 * for requests, HTTP-POST for login responses), and a browser to go through it: the facilitator's redirect is
 * followed, the IdP's auto-submitting form is read for its `SAMLResponse`. The user logged in at the IdP is a
 * cookie, as an IdP's session would be.
 */

// The IdP parses what the service provider sends; the messages under test are read by the service itself.
samlify.setSchemaValidator({ validate: () => Promise.resolve('accepted') });

export interface KeyPair {
  readonly key: string;
  readonly certificate: string;
}

/** A fresh RSA key and a self-signed certificate (openssl, as an operator would make them). */
export function keyPair(name: string): KeyPair {
  const dir = mkdtempSync(join(tmpdir(), 'saml-key-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '2',
        '-subj',
        `/CN=${name}`,
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), certificate: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ATTRIBUTE = {
  uid: 'urn:oid:0.9.2342.19200300.100.1.1',
  mail: 'urn:oid:0.9.2342.19200300.100.1.3',
  name: 'urn:oid:2.5.4.3',
  groups: 'urn:oid:1.3.6.1.4.1.5923.1.5.1.1',
} as const;
const FRIENDLY: Record<string, string> = { uid: 'uid', mail: 'mail', name: 'cn', groups: 'groups' };
const TRANSIENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';

export interface ServiceProviderSettings {
  readonly entityId: string;
  readonly acs: string;
  readonly logout: string;
  /** The SP's signing certificate: the IdP checks signed AuthnRequests and LogoutRequests with it. */
  readonly certificate: string;
}

export interface TestIdp {
  readonly url: string;
  readonly entityId: string;
  readonly keys: KeyPair;
  readonly metadata: string;
  /** The NameID and SessionIndex the IdP gave each user it logged in, by login. */
  readonly sessions: Map<string, { nameId: string; sessionIndex: string }>;
  /** An IdP-initiated LogoutRequest for a user's session, as the raw query string the browser brings. */
  logoutRequest(login: string, relayState?: string): Promise<string>;
  stop(): Promise<void>;
}

const escapeXml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function attributeStatement(login: string): string {
  const [uid, ...groups] = login.split('+');
  const values: Record<string, string[]> = {
    uid: [uid as string],
    mail: [`${uid}@example.com`],
    name: [`User ${uid}`],
    groups,
  };
  const attributes = Object.entries(values)
    .filter(([, v]) => v.length > 0)
    .map(
      ([key, v]) =>
        `<saml:Attribute Name="${ATTRIBUTE[key as keyof typeof ATTRIBUTE]}" FriendlyName="${FRIENDLY[key]}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">${v
          .map((value) => `<saml:AttributeValue xsi:type="xs:string">${escapeXml(value)}</saml:AttributeValue>`)
          .join('')}</saml:Attribute>`,
    );
  return `<saml:AttributeStatement>${attributes.join('')}</saml:AttributeStatement>`;
}

const newId = () => `_${randomBytes(20).toString('hex')}`;

/** The query without its Signature: what an HTTP-Redirect signature covers. */
function octetString(rawQuery: string): string {
  return rawQuery
    .split('&')
    .filter((part) => !part.startsWith('Signature='))
    .join('&');
}

function cookie(header: string | undefined, name: string): string | undefined {
  return header
    ?.split(';')
    .map((part) => part.trim().split('='))
    .find(([key]) => key === name)?.[1];
}

export async function startTestIdp(
  sp: ServiceProviderSettings,
  entityId = 'https://idp.test.example/metadata',
): Promise<TestIdp> {
  const keys = keyPair('test-idp');
  const sessions = new Map<string, { nameId: string; sessionIndex: string }>();
  let url = '';
  const server: Server = createServer((request, response) => {
    const target = new URL(request.url ?? '/', url);
    const raw = target.search.slice(1);
    const query = Object.fromEntries(target.searchParams);
    const handle = async () => {
      if (target.pathname === '/sso') {
        const login = decodeURIComponent(cookie(request.headers.cookie, 'login') ?? 'anonymous');
        const parsed = (await idp.parseLoginRequest(serviceProvider, 'redirect', {
          query,
          octetString: octetString(raw),
        })) as unknown as RequestInfo;
        const requestId = String(parsed.extract.request?.id);
        const session = { nameId: `${login.split('+')[0]}-${randomBytes(4).toString('hex')}`, sessionIndex: newId() };
        sessions.set(login, session);
        const { context } = await idp.createLoginResponse(
          serviceProvider,
          parsed,
          'post',
          {},
          {
            customTagReplacement: (template: string) => loginResponse(template, requestId, login, session),
          },
        );
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end(
          `<form method="post" action="${sp.acs}"><input type="hidden" name="SAMLResponse" value="${context}"/>` +
            `${query.RelayState ? `<input type="hidden" name="RelayState" value="${escapeXml(query.RelayState)}"/>` : ''}</form>`,
        );
        return;
      }
      if (target.pathname === '/slo') {
        const parsed = (await idp.parseLogoutRequest(serviceProvider, 'redirect', {
          query,
          octetString: octetString(raw),
        })) as unknown as RequestInfo;
        const { context } = idp.createLogoutResponse(serviceProvider, parsed, 'redirect', query.RelayState ?? '') as {
          context: string;
        };
        response.writeHead(302, { location: context });
        response.end();
        return;
      }
      response.writeHead(404);
      response.end();
    };
    handle().catch((error: Error) => {
      response.writeHead(400, { 'content-type': 'text/plain' });
      response.end(error.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const idp = samlify.IdentityProvider({
    entityID: entityId,
    privateKey: keys.key,
    signingCert: keys.certificate,
    nameIDFormat: [TRANSIENT],
    wantAuthnRequestsSigned: true,
    wantLogoutRequestSigned: true,
    wantLogoutResponseSigned: true,
    singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: `${url}/sso` }],
    singleLogoutService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: `${url}/slo` }],
  });
  const serviceProvider = samlify.ServiceProvider({
    entityID: sp.entityId,
    signingCert: sp.certificate,
    authnRequestsSigned: true,
    wantAssertionsSigned: true,
    wantMessageSigned: true,
    wantLogoutRequestSigned: true,
    wantLogoutResponseSigned: true,
    assertionConsumerService: [{ Binding: samlify.Constants.namespace.binding.post, Location: sp.acs }],
    singleLogoutService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: sp.logout }],
  });

  function loginResponse(
    template: string,
    inResponseTo: string,
    login: string,
    session: { nameId: string; sessionIndex: string },
  ) {
    const id = newId();
    const now = new Date();
    const later = new Date(now.getTime() + 5 * 60_000).toISOString();
    const authn =
      `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="${session.sessionIndex}">` +
      '<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>';
    const values: Record<string, string> = {
      ID: id,
      AssertionID: newId(),
      Destination: sp.acs,
      Audience: sp.entityId,
      SubjectRecipient: sp.acs,
      Issuer: entityId,
      IssueInstant: now.toISOString(),
      StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Success',
      ConditionsNotBefore: now.toISOString(),
      ConditionsNotOnOrAfter: later,
      SubjectConfirmationDataNotOnOrAfter: later,
      NameIDFormat: TRANSIENT,
      NameID: session.nameId,
      InResponseTo: inResponseTo,
    };
    let context = samlify.SamlLib.replaceTagsByValue(template, values);
    context = context.replace('{AuthnStatement}', authn).replace('{AttributeStatement}', attributeStatement(login));
    return { id, context };
  }

  return {
    url,
    entityId,
    keys,
    metadata: idp.getMetadata(),
    sessions,
    logoutRequest: async (login, relayState) => {
      const session = sessions.get(login);
      if (session === undefined) throw new Error(`${login} has no session at the IdP`);
      const { context } = idp.createLogoutRequest(
        serviceProvider,
        'redirect',
        { logoutNameID: session.nameId, sessionIndex: session.sessionIndex },
        relayState,
      ) as { context: string };
      return new URL(context).search.slice(1);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The browser's part of a login: it follows the facilitator's redirect to the IdP (logged in there as `login`)
 * and answers the `SAMLResponse` of the IdP's form, which a browser would POST to the ACS.
 */
export async function browserLogin(redirect: string, login: string): Promise<string> {
  const response = await fetch(redirect, { headers: { cookie: `login=${encodeURIComponent(login)}` }, redirect: 'manual' });
  const html = await response.text();
  const value = /name="SAMLResponse" value="([^"]+)"/.exec(html)?.[1];
  if (value === undefined) throw new Error(`the IdP answered ${response.status}: ${html}`);
  return value;
}

/** The browser follows a logout redirect to the IdP, and answers the query of where the IdP sends it back. */
export async function browserLogout(redirect: string): Promise<string> {
  const response = await fetch(redirect, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (location === null) throw new Error(`the IdP answered ${response.status}: ${await response.text()}`);
  return new URL(location).search.slice(1);
}

/** `saml` realms pointing at the IdP, written to `dir` with the IdP metadata and the SP's keys. */
export function writeSamlRealms(
  dir: string,
  idp: TestIdp,
  sp: ServiceProviderSettings & { readonly key: string },
  realms: readonly { name: string; extra?: Record<string, string>; metadata?: string }[],
): void {
  writeFileSync(join(dir, 'sp-key.pem'), sp.key);
  writeFileSync(join(dir, 'sp-cert.pem'), sp.certificate);
  const yaml = ['xpack.security.authc.realms.saml:'];
  for (const [i, realm] of realms.entries()) {
    writeFileSync(join(dir, `${realm.name}-idp.xml`), realm.metadata ?? idp.metadata);
    const settings: Record<string, string> = {
      order: String(i + 1),
      'idp.metadata.path': `${realm.name}-idp.xml`,
      'idp.entity_id': idp.entityId,
      'sp.entity_id': sp.entityId,
      'sp.acs': sp.acs,
      'sp.logout': sp.logout,
      'attributes.principal': 'uid',
      'attributes.groups': 'groups',
      'attributes.name': ATTRIBUTE.name,
      'attributes.mail': 'mail',
      'signing.key': 'sp-key.pem',
      'signing.certificate': 'sp-cert.pem',
      ...realm.extra,
    };
    yaml.push(`  ${realm.name}:`);
    for (const [key, value] of Object.entries(settings)) yaml.push(`    ${key}: ${JSON.stringify(value)}`);
  }
  writeFileSync(join(dir, 'elasticsearch.yml'), `${yaml.join('\n')}\n`);
}
