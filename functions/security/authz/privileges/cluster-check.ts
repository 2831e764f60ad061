import { IllegalArgumentError } from '../../../errors';
import { clusterPrivilegeError, PREDEFINED_CLUSTER_PRIVILEGES } from '../cluster-privileges';
import type { Automaton } from '../patterns/automaton';
import { patternsAutomaton } from '../patterns/automatons';
import { intersects, isSubsetOf, type PatternBudget } from '../patterns/subset';

/**
 * Whether held cluster privileges imply a requested one, as `_has_privileges` answers it (ClusterPermission:
 * the requested privilege's actions must be a subset of the held privileges' actions). Elasticsearch knows the
 * actions of every predefined privilege; this service knows those of the privileges that matter to it (the
 * security family, `monitor`, `manage`, `all`) and a few whose actions are plain (`monitor_ml`, ...). Any other
 * predefined name is implied only by itself, by `all`, and by `manage` (which grants every cluster action but the
 * security ones).
 */
const ACTIONS: ReadonlyMap<string, readonly string[]> = new Map([
  ['none', []],
  ['all', ['cluster:*', 'indices:admin/template/*', 'indices:admin/index_template/*']],
  ['monitor', ['cluster:monitor/*']],
  ['manage_security', ['cluster:admin/xpack/security/*', 'cluster:monitor/xpack/security/*']],
  ['read_security', ['cluster:admin/xpack/security/*/get', 'cluster:admin/xpack/security/*/query']],
  ['manage_token', ['cluster:admin/xpack/security/token/*']],
  ['manage_oidc', ['cluster:admin/xpack/security/oidc/*']],
  [
    'manage_saml',
    [
      'cluster:admin/xpack/security/saml/*',
      'cluster:admin/xpack/security/token/invalidate',
      'cluster:admin/xpack/security/token/refresh',
      'cluster:monitor/xpack/security/saml/metadata',
    ],
  ],
  ['manage_api_key', ['cluster:admin/xpack/security/api_key/*']],
  ['grant_api_key', ['cluster:admin/xpack/security/api_key/grant*']],
  ['manage_service_account', ['cluster:admin/xpack/security/service_account/*']],
  ['manage_user_profile', ['cluster:admin/xpack/security/profile/*']],
  ['monitor_ml', ['cluster:monitor/xpack/ml/*']],
  ['monitor_watcher', ['cluster:monitor/xpack/watcher/*']],
  ['monitor_rollup', ['cluster:monitor/xpack/rollup/*']],
  ['monitor_transform', ['cluster:monitor/data_frame/*', 'cluster:monitor/transform/*']],
  ['monitor_data_frame_transforms', ['cluster:monitor/data_frame/*', 'cluster:monitor/transform/*']],
]);

/** What `manage` leaves out of `all`: the security actions (`ClusterPrivilegeResolver.MANAGE`). */
const SECURITY_ACTIONS = ['cluster:admin/xpack/security/*', 'cluster:monitor/xpack/security/*'];
/** The predefined privileges over security actions, which `manage` does not imply. */
const SECURITY_NAMES = new Set([
  'manage_security',
  'read_security',
  'manage_token',
  'manage_oidc',
  'manage_saml',
  'manage_api_key',
  'manage_own_api_key',
  'grant_api_key',
  'manage_service_account',
  'manage_user_profile',
  'delegate_pki',
]);
const PREDEFINED = new Set(PREDEFINED_CLUSTER_PRIVILEGES);

/** A privilege's actions, or undefined for a predefined name whose actions this service does not model. */
function actionsOf(privilege: string): readonly string[] | undefined {
  if (PREDEFINED.has(privilege)) return ACTIONS.get(privilege);
  return [`${privilege}*`]; // an action pattern also grants the actions that start with it (actionToPattern)
}

export class HeldClusterPrivileges {
  private readonly names: Set<string>;
  private readonly modelled: Automaton;

  constructor(
    held: readonly string[],
    private readonly budget: PatternBudget,
  ) {
    this.names = new Set(held.map((name) => name.toLowerCase()).filter((name) => clusterPrivilegeError(name) === undefined));
    this.modelled = patternsAutomaton([...this.names].flatMap((name) => actionsOf(name) ?? []));
  }

  /** Throws Elasticsearch's message for a name that is neither predefined nor an action pattern. */
  implies(requested: string): boolean {
    const name = requested.toLowerCase();
    const error = clusterPrivilegeError(name);
    if (error !== undefined) throw new IllegalArgumentError(error);
    if (this.names.has(name) || this.names.has('all')) return true;
    const actions = actionsOf(name);
    if (actions === undefined) return this.names.has('manage') && !SECURITY_NAMES.has(name);
    const wanted = patternsAutomaton(actions);
    if (isSubsetOf(wanted, this.modelled, this.budget)) return true;
    return (
      this.names.has('manage') &&
      isSubsetOf(wanted, patternsAutomaton(ACTIONS.get('all') ?? []), this.budget) &&
      !intersects(wanted, patternsAutomaton(SECURITY_ACTIONS), this.budget)
    );
  }
}
