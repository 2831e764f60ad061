import type { SamlRealmConfig } from './realm-config';
import { attribute, BEARER, child, children, NS, text } from './xml';

/**
 * A bearer assertion is used once (saml-profiles §4.1.4.5; docs/security.md, "a SAML assertion is used once"): the
 * SP keeps the ID of each assertion it accepted for as long as the assertion could still pass the time checks, and
 * refuses it when it comes again. Elasticsearch leaves this to its facilitator (Kibana drops a request id once
 * answered); this service keeps the IDs itself, so a Response sent again with the same `ids` is refused too.
 */
export interface AssertionUse {
  /** The IdP that issued the assertion: its IDs are unique for it only. */
  readonly issuer: string;
  /** The assertion's `ID` (required by the schema; the library verified the signature over it). */
  readonly id: string;
  /**
   * Epoch ms from which the assertion can no longer be accepted, so its ID need not be kept; undefined for an
   * assertion without any NotOnOrAfter (the caller keeps it as long as the pair it mints can live).
   */
  readonly keepUntil: number | undefined;
}

/** Kept used assertions check time against this port; the DynamoDB adapter implements it (store/). */
export interface UsedAssertions {
  /** True the first time an assertion is presented before `keepUntil`; false for a replay. One conditional write. */
  firstUse(use: AssertionUse & { readonly keepUntil: number }, now: number): Promise<boolean>;
}

function instant(element: Element | undefined, name: string): number | undefined {
  const value = element && attribute(element, name);
  const time = value === undefined ? Number.NaN : Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/**
 * The use of an assertion that passed every check (checkAssertion): kept until the earliest NotOnOrAfter that
 * bounds its acceptance (its bearer SubjectConfirmationData's and its Conditions'), plus the allowed clock skew
 * those checks grant.
 */
export function assertionUseOf(config: SamlRealmConfig, assertion: Element): AssertionUse {
  const subject = child(assertion, NS.assertion, 'Subject');
  const bearerData = (subject === undefined ? [] : children(subject, NS.assertion, 'SubjectConfirmation'))
    .filter((confirmation) => attribute(confirmation, 'Method') === BEARER)
    .map((confirmation) => child(confirmation, NS.assertion, 'SubjectConfirmationData'));
  const ends = [...bearerData, child(assertion, NS.assertion, 'Conditions')]
    .map((element) => instant(element, 'NotOnOrAfter'))
    .filter((end): end is number => end !== undefined);
  return {
    issuer: text(child(assertion, NS.assertion, 'Issuer')) ?? '',
    id: attribute(assertion, 'ID') ?? '',
    keepUntil: ends.length === 0 ? undefined : Math.min(...ends) + config.allowedClockSkewMs,
  };
}
