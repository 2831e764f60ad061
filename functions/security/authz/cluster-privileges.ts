import { type Automaton, wildcardAutomaton } from './patterns/automatons';

/**
 * Cluster privilege names as Elasticsearch resolves them (`ClusterPrivilegeResolver.resolve`): a name is
 * lower-cased, then it is either a pattern over cluster actions (`cluster:admin/xpack/security/*`, which grants
 * every action it matches and every action that starts with it) or one of the predefined names. Anything else is
 * refused, by the role API and by the roles file alike.
 */

/**
 * The predefined names, in the order Elasticsearch lists them in its message: `sortByAccessLevel` sorts by how
 * many of the others each one implies, then by name. Elasticsearch computes that from its action automatons at
 * start; the order here was worked out from its source (`none` and the two global-retention privileges grant no
 * action, so each implies the other two; every other privilege implies those three). Only `manage_token`, `manage_oidc`, `manage_saml` (the SAML APIs, and token refresh and invalidation, as
 * `ClusterPrivilegeResolver.MANAGE_SAML`), `manage_security`, `monitor`, `manage` and `all` grant this service's actions;
 * the others are accepted so that a role can be copied from an Elasticsearch cluster unchanged.
 */
export const PREDEFINED_CLUSTER_PRIVILEGES: readonly string[] = [
  'manage_own_api_key',
  'manage_data_stream_global_retention',
  'monitor_data_stream_global_retention',
  'none',
  'cancel_task',
  'cross_cluster_replication',
  'cross_cluster_search',
  'delegate_pki',
  'grant_api_key',
  'manage_autoscaling',
  'manage_behavioral_analytics',
  'manage_enrich',
  'manage_index_templates',
  'manage_logstash_pipelines',
  'manage_oidc',
  'manage_saml',
  'manage_search_application',
  'manage_search_query_rules',
  'manage_search_synonyms',
  'manage_service_account',
  'manage_token',
  'manage_user_profile',
  'monitor_connector',
  'monitor_enrich',
  'monitor_inference',
  'monitor_ml',
  'monitor_rollup',
  'monitor_snapshot',
  'monitor_text_structure',
  'monitor_watcher',
  'post_behavioral_analytics_event',
  'read_ccr',
  'read_connector_secrets',
  'read_fleet_secrets',
  'read_ilm',
  'read_pipeline',
  'read_security',
  'read_slm',
  'transport_client',
  'write_connector_secrets',
  'write_fleet_secrets',
  'create_snapshot',
  'manage_ccr',
  'manage_connector',
  'manage_ilm',
  'manage_inference',
  'manage_ml',
  'manage_rollup',
  'manage_slm',
  'manage_watcher',
  'monitor_data_frame_transforms',
  'monitor_transform',
  'manage_api_key',
  'manage_ingest_pipelines',
  'manage_pipeline',
  'manage_data_frame_transforms',
  'manage_transform',
  'manage_security',
  'monitor',
  'manage',
  'all',
];

const PREDEFINED = new Set(PREDEFINED_CLUSTER_PRIVILEGES);

/** `ClusterPrivilegeResolver.ACTION_MATCHER`: the actions `all` covers. */
const CLUSTER_ACTION = /^(cluster:|indices:admin\/template\/|indices:admin\/index_template\/)/;

/** The message of `ClusterPrivilegeResolver.resolve` for a name it cannot resolve, or undefined. */
export function clusterPrivilegeError(privilege: string): string | undefined {
  const name = privilege.toLowerCase();
  if (CLUSTER_ACTION.test(name) || PREDEFINED.has(name)) return undefined;
  return (
    `unknown cluster privilege [${name}]. a privilege must be either one of the predefined cluster privilege names ` +
    `[${PREDEFINED_CLUSTER_PRIVILEGES.join(',')}] or a pattern over one of the available cluster actions`
  );
}

/** `actionToPattern`: the privilege (an `Automatons.pattern`) also grants every action that starts with it. */
function actionPattern(privilege: string): Automaton {
  return wildcardAutomaton(`${privilege}*`);
}

/**
 * Whether a held privilege grants `action`: a predefined name when it is one of `grantedBy` (the names that
 * grant the action), an action pattern when it matches the action's name. Case does not matter, as in
 * Elasticsearch; a name that does not resolve grants nothing.
 */
export function privilegeGrants(privilege: string, action: { name: string; grantedBy: readonly string[] }): boolean {
  const name = privilege.toLowerCase();
  if (PREDEFINED.has(name)) return action.grantedBy.includes(name);
  return CLUSTER_ACTION.test(name) && actionPattern(name).matches(action.name);
}
