import type { SsoUser } from '../sso-user';
import type { AssertionUse } from './assertion-use';
import type { AttributeName, SamlRealmConfig } from './realm-config';
import { attribute, child, children, NS, PERSISTENT, SamlAuthenticationFailure, text } from './xml';

/**
 * From a verified assertion to a user, as Elasticsearch's `SamlRealm.buildUser`, `AttributeParser` and
 * `SamlAttributes` do (SAML-V-6, SAML-U-1..SAML-U-4).
 */

export interface NameId {
  readonly value: string;
  readonly format?: string;
  readonly nameQualifier?: string;
  readonly spNameQualifier?: string;
  readonly spProvidedId?: string;
}

interface SamlAttribute {
  readonly name: string;
  readonly friendlyName?: string;
  readonly values: readonly string[];
}

export interface SamlUser extends SsoUser {
  /** SAML-U-4: what logout needs, kept with the token pair and never shown. */
  readonly tokenMetadata: Record<string, string>;
  /** SAML-A-3: the request id the Response answered; absent for an unsolicited Response. */
  readonly inResponseTo?: string;
}

/** A user of a Response the realm accepted, with the assertion it came in: each is used once (assertion-use.ts). */
export interface AcceptedSamlUser extends SamlUser {
  readonly assertion: AssertionUse;
}

export function nameIdOf(parent: Element): NameId | undefined {
  const element = child(parent, NS.assertion, 'NameID');
  const value = text(element);
  if (element === undefined || value === undefined || value === '') return undefined;
  const optional = (name: string, key: keyof NameId) => {
    const found = attribute(element, name);
    return found === undefined ? {} : { [key]: found };
  };
  return {
    value,
    ...optional('Format', 'format'),
    ...optional('NameQualifier', 'nameQualifier'),
    ...optional('SPNameQualifier', 'spNameQualifier'),
    ...optional('SPProvidedID', 'spProvidedId'),
  };
}

function attributesOf(assertion: Element): SamlAttribute[] {
  return children(assertion, NS.assertion, 'AttributeStatement').flatMap((statement) =>
    children(statement, NS.assertion, 'Attribute').map((element) => ({
      name: element.getAttribute('Name') ?? '',
      ...(attribute(element, 'FriendlyName') !== undefined && { friendlyName: attribute(element, 'FriendlyName') }),
      values: children(element, NS.assertion, 'AttributeValue').map((value) => value.textContent ?? ''),
    })),
  );
}

/** The values one `attributes.*` setting selects: by Name or FriendlyName, or the NameID; then its pattern. */
function values(
  config: SamlRealmConfig,
  which: AttributeName,
  nameId: NameId | undefined,
  attributes: SamlAttribute[],
): string[] {
  const setting = config.attributes[which];
  if (setting === undefined) return [];
  let found: string[];
  if (setting.attribute === 'nameid') found = nameId ? [nameId.value] : [];
  else if (setting.attribute === 'nameid:persistent') found = nameId?.format === PERSISTENT ? [nameId.value] : [];
  else {
    found = attributes
      .filter((a) => a.name === setting.attribute || a.friendlyName === setting.attribute)
      .flatMap((a) => [...a.values]);
  }
  if (setting.pattern === undefined) return found;
  const pattern = setting.pattern;
  return found.flatMap((value) => {
    const group = pattern.exec(value)?.[1];
    return group === undefined || group === '' ? [] : [group];
  });
}

function groupsOf(config: SamlRealmConfig, nameId: NameId | undefined, attributes: SamlAttribute[]): string[] {
  const groups = values(config, 'groups', nameId, attributes);
  if (config.groupsDelimiter === undefined) return groups;
  if (groups.length > 1) {
    throw new SamlAuthenticationFailure(
      `Expected single string value for attribute: [${config.attributes.groups?.attribute}], but got list with ${groups.length} values`,
    );
  }
  return groups.flatMap((value) => value.split(config.groupsDelimiter as string));
}

/** SAML-U-3 */
function userMetadata(config: SamlRealmConfig, nameId: NameId | undefined, attributes: SamlAttribute[]) {
  if (!config.populateUserMetadata) return {};
  const metadata: Record<string, unknown> = {};
  for (const a of attributes) {
    metadata[`saml(${a.name})`] = [...a.values];
    if (a.friendlyName !== undefined) metadata[`saml_${a.friendlyName}`] = [...a.values];
  }
  if (nameId !== undefined) {
    metadata.saml_nameid = nameId.value;
    metadata.saml_nameid_format = nameId.format ?? null;
  }
  return metadata;
}

/** SAML-U-4: the NameID and session a LogoutRequest names, and the realm; absent parts are empty strings. */
export function tokenMetadataOf(realm: string, nameId: NameId | undefined, session: string | undefined): Record<string, string> {
  return {
    saml_nameid_val: nameId?.value ?? '',
    saml_nameid_fmt: nameId?.format ?? '',
    saml_nameid_qual: nameId?.nameQualifier ?? '',
    saml_nameid_sp_qual: nameId?.spNameQualifier ?? '',
    saml_nameid_sp_id: nameId?.spProvidedId ?? '',
    saml_session: session ?? '',
    saml_realm: realm,
  };
}

/** SAML-V-6, SAML-U-1..SAML-U-4 */
export function userFromAssertion(config: SamlRealmConfig, assertion: Element): SamlUser {
  const subject = child(assertion, NS.assertion, 'Subject');
  const nameId = subject && nameIdOf(subject);
  const attributes = attributesOf(assertion);
  if (attributes.length === 0 && nameId === undefined)
    throw new SamlAuthenticationFailure('Could not process any SAML attributes');
  const principal = values(config, 'principal', nameId, attributes)[0];
  if (principal === undefined || principal === '') {
    throw new SamlAuthenticationFailure(`[${config.attributes.principal?.attribute}] not found in saml attributes or NameID`);
  }
  const dn = values(config, 'dn', nameId, attributes)[0];
  const statement = child(assertion, NS.assertion, 'AuthnStatement');
  const session = statement && attribute(statement, 'SessionIndex');
  return {
    principal,
    groups: groupsOf(config, nameId, attributes),
    name: values(config, 'name', nameId, attributes)[0] ?? null,
    mail: values(config, 'mail', nameId, attributes)[0] ?? null,
    ...(dn !== undefined && { dn }),
    metadata: userMetadata(config, nameId, attributes),
    tokenMetadata: tokenMetadataOf(config.name, nameId, session),
  };
}
