/**
 * Distinguished names as role mappings compare them (`UserRoleMapper.DistinguishedNamePredicate`, which uses
 * the LDAP SDK's `DN.toNormalizedString`): attribute types and values lower-cased, the spaces around `=`, `,`
 * and `+` dropped, the values of a multi-valued RDN sorted. A string that is not a DN normalises to undefined.
 */

const ATTRIBUTE_TYPE = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)$/;

/** Splits on `separators` outside quotes and not escaped by `\`. */
function splitUnescaped(text: string, separators: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char === '\\' && i + 1 < text.length) {
      current += char + text[++i];
    } else if (char === '"') {
      quoted = !quoted;
      current += char;
    } else if (!quoted && separators.includes(char)) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

function normalizeAttribute(attribute: string): string | undefined {
  const equals = attribute.indexOf('=');
  if (equals < 0) return undefined;
  const type = attribute.slice(0, equals).trim();
  if (!ATTRIBUTE_TYPE.test(type)) return undefined;
  const value = attribute.slice(equals + 1).trim();
  return `${type.toLowerCase()}=${value.toLowerCase()}`;
}

export function normalizeDn(text: string): string | undefined {
  if (text.trim() === '') return '';
  const rdns: string[] = [];
  for (const rdn of splitUnescaped(text, ',;')) {
    const attributes = splitUnescaped(rdn, '+').map(normalizeAttribute);
    if (attributes.some((attribute) => attribute === undefined)) return undefined;
    rdns.push((attributes as string[]).sort().join('+'));
  }
  return rdns.join(',');
}
