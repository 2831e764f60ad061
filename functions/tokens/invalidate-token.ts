import { ActionRequestValidationError, ContentParseError } from '../errors';
import { parseStringFields } from '../request-content';
import type { InvalidationTally } from './invalidation-tally';

const FIELDS = ['token', 'refresh_token', 'realm_name', 'username'] as const;

/** What to invalidate: exactly one of the three forms the contract allows. */
export type InvalidateRequest =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'refresh_token'; readonly refreshToken: string }
  | { readonly kind: 'scope'; readonly realm?: string; readonly username?: string };

const hasText = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/**
 * The body of `DELETE /_security/oauth2/token`: ER-6/ER-7 (`invalidate_token` parser), then IV-1..IV-3.
 * An empty string counts as absent.
 */
export function parseInvalidateRequest(body: unknown, rawBody: string): InvalidateRequest {
  const fields = parseStringFields(body, rawBody, 'invalidate_token', FIELDS);
  const token = fields.token || undefined;
  const refreshToken = fields.refresh_token || undefined;
  if (token !== undefined && refreshToken !== undefined) {
    // IV-1: Elasticsearch's parser refuses this while building the request, hence a parse error.
    throw new ContentParseError('Failed to build [invalidate_token] after last required field arrived', {
      caused_by: { type: 'illegal_argument_exception', reason: 'only one of [token, refresh_token] may be sent per request' },
    });
  }
  const realm = hasText(fields.realm_name) ? fields.realm_name : undefined;
  const username = hasText(fields.username) ? fields.username : undefined;
  if (realm !== undefined || username !== undefined) {
    if (token !== undefined || refreshToken !== undefined) {
      throw new ActionRequestValidationError([
        'token string must not be provided when realm name or username is specified',
        'token type must not be provided when realm name or username is specified',
      ]); // IV-2
    }
    return { kind: 'scope', ...(realm !== undefined && { realm }), ...(username !== undefined && { username }) };
  }
  if (token !== undefined) return { kind: 'token', token };
  if (refreshToken !== undefined) return { kind: 'refresh_token', refreshToken };
  throw new ActionRequestValidationError(['token string must be provided when not specifying a realm name or a username']); // IV-3
}

/** IV-4: the response body, `error_details` only when there are errors. */
export interface InvalidateResponse {
  readonly invalidated_tokens: number;
  readonly previously_invalidated_tokens: number;
  readonly error_count: number;
  readonly error_details?: readonly Record<string, unknown>[];
}

export function invalidateResponse(tally: InvalidationTally): InvalidateResponse {
  return {
    invalidated_tokens: tally.invalidated,
    previously_invalidated_tokens: tally.previouslyInvalidated,
    error_count: tally.errors.length,
    ...(tally.errors.length > 0 && { error_details: tally.errors }),
  };
}
