import { IllegalArgumentError } from '../errors';

type WithPathParameters = { readonly pathParameters: Record<string, string | undefined> | null };

/**
 * A path parameter, decoded once. API Gateway's REST APIs hand path parameters over still percent-encoded
 * (the local adapter does the same), and names such as `john@example.com` or `ops team` arrive encoded.
 */
export function pathParameter(event: WithPathParameters, name: string): string | undefined {
  const raw = event.pathParameters?.[name];
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new IllegalArgumentError(`path parameter [${name}] is not valid percent-encoding`);
  }
}

export function requiredPathParameter(event: WithPathParameters, name: string): string {
  const value = pathParameter(event, name);
  if (value === undefined) throw new IllegalArgumentError(`path parameter [${name}] is missing`);
  return value;
}

/** `/_security/user/a,b`: Elasticsearch's comma-separated name list (trimmed, empty entries dropped); [] for none. */
export function nameListParameter(event: WithPathParameters, name: string): string[] {
  return (pathParameter(event, name) ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
