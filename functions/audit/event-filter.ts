import { patternAutomaton } from '../security/authz/patterns/automatons';
import { ConfigurationError } from '../setting-types';

/**
 * Elasticsearch's ignore policies (LoggingAuditTrail.EventFilterPolicy): an event is left out of the log when
 * every field of one policy matches it. A field a policy does not name matches anything (its default is `*`); a
 * field an event lacks is the empty string, which only `*` and the empty pattern `""` match.
 */
export const POLICY_FIELDS = ['users', 'realms', 'actions', 'roles', 'indices'] as const;
export type PolicyField = (typeof POLICY_FIELDS)[number];

/** What an event offers the policies (AuditEventMetaInfo): a missing field is ''. */
export interface EventMetaInfo {
  readonly user: string;
  readonly realm: string;
  readonly action: string;
  /** The roles that authorized the event; [''] when it has none. */
  readonly roles: readonly string[];
}

type Matcher = (value: string) => boolean;

export interface FilterPolicy {
  readonly name: string;
  ignores(event: EventMetaInfo): boolean;
}

/** One pattern: `""` matches only a missing field; anything else is Automatons.pattern (wildcards, `/regex/`). */
function matcherOf(pattern: string, policy: string, field: string): Matcher {
  if (pattern === '') return (value) => value === '';
  try {
    const automaton = patternAutomaton(pattern);
    return (value) => automaton.matches(value);
  } catch (error) {
    throw new ConfigurationError(`ignore_filters.${policy}.${field}: ${(error as Error).message}`);
  }
}

function fieldMatcher(patterns: readonly string[] | undefined, policy: string, field: string): Matcher {
  const matchers = (patterns ?? ['*']).map((pattern) => matcherOf(pattern, policy, field));
  // An empty list matches a missing field only, as Elasticsearch's "//" automaton.
  if (matchers.length === 0) return (value) => value === '';
  return (value) => matchers.some((matches) => matches(value));
}

export function filterPolicy(name: string, fields: Partial<Record<PolicyField, readonly string[]>>): FilterPolicy {
  const users = fieldMatcher(fields.users, name, 'users');
  const realms = fieldMatcher(fields.realms, name, 'realms');
  const actions = fieldMatcher(fields.actions, name, 'actions');
  const roles = fieldMatcher(fields.roles, name, 'roles');
  // No request of this service names indices: every event's indices are [''].
  const indices = fieldMatcher(fields.indices, name, 'indices');
  return {
    name,
    ignores: (event) =>
      users(event.user) &&
      realms(event.realm) &&
      actions(event.action) &&
      event.roles.every((role) => roles(role)) &&
      indices(''),
  };
}

/** The policies are ORed: an event any one of them matches is ignored. */
export function ignoredByAny(policies: readonly FilterPolicy[], event: EventMetaInfo): boolean {
  return policies.some((policy) => policy.ignores(event));
}
