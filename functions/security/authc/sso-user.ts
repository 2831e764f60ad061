import { unstorableReason } from '../../json/storable-json';

/**
 * A user as a single sign-on realm builds it from what the identity provider asserted (OpenID Connect claims,
 * SAML attributes): Elasticsearch's realms map both onto the same fields before role mapping.
 */
export interface SsoUser {
  readonly principal: string;
  readonly groups: string[];
  readonly name: string | null;
  readonly mail: string | null;
  readonly dn?: string;
  readonly metadata: Record<string, unknown>;
}

/**
 * The longest principal (OpenID Connect `sub` or the claim the realm maps, SAML NameID or attribute) a login
 * accepts, in UTF-8 bytes; a longer one is refused with the protocol's generic 401. Far above what identity
 * providers send (OpenID Connect caps `sub` at 255 ASCII characters), and small enough that the token pair,
 * which keeps the principal a few times, stays well inside DynamoDB's 400 KB item.
 */
export const SSO_PRINCIPAL_MAX_BYTES = 16 * 1024;

/** COMMON-9: the most of the user's metadata a pair keeps (its JSON, UTF-8), and of its full name and email each. */
export const SSO_METADATA_MAX_BYTES = 64 * 1024;
export const SSO_FIELD_MAX_BYTES = 16 * 1024;
/** COMMON-9: the realm's token metadata (SAML's NameID and session) is kept whole or the login refused. */
export const SSO_TOKEN_METADATA_MAX_BYTES = 32 * 1024;

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/** What a token pair keeps of an SSO user (COMMON-9), and the names of the fields and metadata entries left out. */
export interface KeptSsoUser {
  readonly user: SsoUser;
  readonly leftOut: readonly string[];
}

/**
 * COMMON-9: what of an SSO user its token pair keeps, so that no identity provider's answer can put the pair
 * over DynamoDB's 400 KB item (the login would fail as a storage error): undefined when the principal is too
 * long to keep (the login is refused, as any other failed login); otherwise the metadata entries in the order
 * the provider sent them, each kept while the metadata's JSON stays within SSO_METADATA_MAX_BYTES, and the full
 * name and email if each is within SSO_FIELD_MAX_BYTES (else null); an entry the store cannot hold exactly is left
 * out too. Role mapping sees the user whole.
 */
export function keptOfSsoUser(user: SsoUser): KeptSsoUser | undefined {
  if (Buffer.byteLength(user.principal) > SSO_PRINCIPAL_MAX_BYTES) return undefined;
  const leftOut: string[] = [];
  const field = (name: string, value: string | null) => {
    if (value === null || Buffer.byteLength(value) <= SSO_FIELD_MAX_BYTES) return value;
    leftOut.push(name);
    return null;
  };
  const metadata: Record<string, unknown> = {};
  let bytes = jsonBytes(metadata);
  for (const [key, value] of Object.entries(user.metadata)) {
    // The entry's share of the JSON: its key and value, a colon, and a comma.
    const entryBytes = jsonBytes(key) + jsonBytes(value) + 2;
    // A number the store cannot hold exactly (a whole number beyond 2^53, say) is left out like an entry too
    // large: Elasticsearch keeps it, but here it would fail the pair's write as a storage error.
    if (bytes + entryBytes > SSO_METADATA_MAX_BYTES || unstorableReason(value) !== undefined) {
      leftOut.push(`metadata.${key}`);
      continue;
    }
    metadata[key] = value;
    bytes += entryBytes;
  }
  return { user: { ...user, name: field('full_name', user.name), mail: field('email', user.mail), metadata }, leftOut };
}

/** COMMON-9: whether a realm's token metadata can be kept whole with the pair. */
export function tokenMetadataFits(tokenMetadata: Readonly<Record<string, string>> | undefined): boolean {
  return tokenMetadata === undefined || jsonBytes(tokenMetadata) <= SSO_TOKEN_METADATA_MAX_BYTES;
}
