import type { SamlRealmConfig } from './realm-config';
import { attribute, BEARER, child, children, NS, SamlAuthenticationFailure, SUCCESS, text } from './xml';

/**
 * The checks of Elasticsearch's `SamlAuthenticator` that the SP library does not make (SAML-V-3, SAML-V-5),
 * each on XML whose signature was verified: the Response's own checks on the verified Response (or, when only
 * the assertion is signed, on the Response as received, where a check can only refuse), the assertion's on the
 * assertion the library verified. Times are the injected clock's, with the realm's allowed clock skew (SAML-V-8).
 */

export interface CheckContext {
  readonly config: SamlRealmConfig;
  readonly ids: readonly string[];
  readonly now: number;
}

const fail = (message: string): never => {
  throw new SamlAuthenticationFailure(message);
};

function instant(element: Element, name: string): number | undefined {
  const value = attribute(element, name);
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) fail(`SAML timestamp [${name}] is not a valid date`);
  return time;
}

/** Rejects when now + skew < NotBefore or now − skew >= NotOnOrAfter (SAML-V-5, SAML-V-8). */
function checkWindow(element: Element, { config, now }: CheckContext, notOnOrAfterName = 'NotOnOrAfter'): void {
  const skew = config.allowedClockSkewMs;
  const notBefore = instant(element, 'NotBefore');
  if (notBefore !== undefined && now + skew < notBefore) fail('Rejecting SAML assertion because it is before its NotBefore');
  const notOnOrAfter = instant(element, notOnOrAfterName);
  if (notOnOrAfter !== undefined && now - skew >= notOnOrAfter) {
    fail(`Rejecting SAML assertion because it is on/after its ${notOnOrAfterName}`);
  }
}

function checkIssuer(element: Element, config: SamlRealmConfig): void {
  const issuer = text(child(element, NS.assertion, 'Issuer'));
  if (issuer === undefined) fail(`Element ${element.localName} has no issuer, but expected [${config.idp.entityId}]`);
  if (issuer !== config.idp.entityId) fail('SAML Issuer does not match expected value');
}

/** SAML-V-3, in Elasticsearch's order. */
export function checkResponse(response: Element, signed: boolean, context: CheckContext): void {
  const { config, ids } = context;
  const inResponseTo = attribute(response, 'InResponseTo');
  if (inResponseTo !== undefined && !ids.includes(inResponseTo)) fail('SAML content is in-response-to an unexpected id');
  const status = child(child(response, NS.protocol, 'Status') ?? response, NS.protocol, 'StatusCode');
  if (status === undefined) fail('SAML Response has no status code');
  if (attribute(status as Element, 'Value') !== SUCCESS) fail("SAML Response is not a 'success' response");
  checkIssuer(response, config);
  const destination = attribute(response, 'Destination');
  if ((signed || destination !== undefined) && destination !== config.acs) {
    fail('SAML response is for another destination than this realm uses');
  }
}

function checkConditions(assertion: Element, context: CheckContext): void {
  const conditions = child(assertion, NS.assertion, 'Conditions');
  if (conditions === undefined) return;
  for (const restriction of children(conditions, NS.assertion, 'AudienceRestriction')) {
    const audiences = children(restriction, NS.assertion, 'Audience').map((audience) => text(audience));
    if (!audiences.includes(context.config.spEntityId)) fail('Conditions do not match required audience');
  }
  checkWindow(conditions, context);
}

/** Exactly one bearer SubjectConfirmation with data for this ACS, in time, answering one of `ids` (SAML-V-5). */
function checkSubject(assertion: Element, context: CheckContext): void {
  const subject = child(assertion, NS.assertion, 'Subject');
  if (subject === undefined) fail('SAML Assertion has no Subject');
  const bearers = children(subject as Element, NS.assertion, 'SubjectConfirmation').filter(
    (confirmation) =>
      attribute(confirmation, 'Method') === BEARER && child(confirmation, NS.assertion, 'SubjectConfirmationData') !== undefined,
  );
  if (bearers.length !== 1) {
    fail(`SAML Assertion subject contains [${bearers.length}] bearer SubjectConfirmation, while exactly one was expected.`);
  }
  const data = child(bearers[0] as Element, NS.assertion, 'SubjectConfirmationData') as Element;
  if (attribute(data, 'Recipient') !== context.config.acs) {
    fail('SAML Assertion SubjectConfirmationData Recipient does not match expected value');
  }
  checkWindow(data, context);
  const inResponseTo = attribute(data, 'InResponseTo');
  if (inResponseTo !== undefined && !context.ids.includes(inResponseTo)) {
    fail('SAML Assertion SubjectConfirmationData is in-response-to an unexpected id');
  }
}

function checkAuthnStatement(assertion: Element, context: CheckContext): void {
  const statements = children(assertion, NS.assertion, 'AuthnStatement');
  if (statements.length !== 1) {
    fail(`SAML Assertion subject contains [${statements.length}] Authn Statements while exactly one was expected.`);
  }
  const statement = statements[0] as Element;
  checkWindow(statement, context, 'SessionNotOnOrAfter');
  const wanted = context.config.authnContextClassRefs;
  if (wanted.length === 0) return;
  const classRef = text(child(child(statement, NS.assertion, 'AuthnContext') ?? statement, NS.assertion, 'AuthnContextClassRef'));
  if (classRef === undefined || !wanted.includes(classRef))
    fail('Rejecting SAML assertion as the AuthnContextClassRef is not requested');
}

/** SAML-V-5, in Elasticsearch's order (the signature was checked by the library). */
export function checkAssertion(assertion: Element, context: CheckContext): void {
  checkConditions(assertion, context);
  checkIssuer(assertion, context.config);
  checkSubject(assertion, context);
  checkAuthnStatement(assertion, context);
}
