/**
 * Elasticsearch's named index privileges (`IndexPrivilege`), each as the index actions it grants, written as
 * the wildcard patterns Elasticsearch builds its automaton from. The names are what a role's `indices` entry and
 * a `_has_privileges` request may name; the patterns are what `_has_privileges` compares to decide whether one
 * privilege implies another (`write` implies `index`, `all` implies everything). Action names are Elasticsearch
 * 9.0's; this service runs none of these actions, it only answers what a role would allow.
 */
export const INDEX_PRIVILEGE_ACTIONS: ReadonlyMap<string, readonly string[]> = new Map([
  ['none', []],
  ['all', ['indices:*', 'internal:transport/proxy/indices:*']],
  [
    'manage',
    ['indices:monitor/*', 'indices:admin/*', 'indices:data/read/field_caps*', 'indices:data/read/xpack/rollup/get/index/caps*'],
  ],
  ['create_index', ['indices:admin/create', 'indices:admin/auto_create', 'indices:admin/data_stream/create']],
  ['monitor', ['indices:monitor/*']],
  ['read', ['indices:data/read/*']],
  ['index', ['indices:data/write/index*', 'indices:data/write/bulk*', 'indices:data/write/update*']],
  ['delete', ['indices:data/write/delete*', 'indices:data/write/bulk*']],
  ['write', ['indices:data/write/*', 'indices:admin/mapping/auto_put']],
  ['create', ['indices:data/write/index*', 'indices:data/write/bulk*']],
  [
    'create_doc',
    [
      'indices:data/write/index',
      'indices:data/write/index[*',
      'indices:data/write/index:op_type/create',
      'indices:data/write/bulk*',
    ],
  ],
  ['delete_index', ['indices:admin/delete', 'indices:admin/data_stream/delete']],
  [
    'view_index_metadata',
    [
      'indices:admin/aliases/get',
      'indices:admin/get',
      'indices:admin/mappings/fields/get*',
      'indices:admin/mappings/get',
      'indices:admin/shards/search_shards',
      'indices:admin/search/search_shards',
      'indices:admin/validate/query*',
      'indices:monitor/settings/get',
      'indices:admin/ilm/explain',
      'indices:admin/data_stream/lifecycle/get',
      'indices:admin/data_stream/lifecycle/explain',
      'indices:admin/data_stream/get',
      'indices:admin/resolve/index',
      'indices:admin/resolve/cluster',
      'indices:data/read/field_caps*',
      'indices:data/read/xpack/rollup/get/index/caps*',
      'indices:internal/transform/checkpoint*',
      'indices:monitor/get/metering/stats',
      'indices:admin/get/metering/stats',
    ],
  ],
  ['read_cross_cluster', ['internal:transport/proxy/indices:data/read/*', 'indices:admin/shards/search_shards']],
  [
    'manage_follow_index',
    [
      'indices:admin/xpack/ccr/put_follow',
      'indices:admin/xpack/ccr/unfollow',
      'indices:admin/close*',
      'indices:admin/data_stream/promote',
      'indices:admin/rollover',
    ],
  ],
  ['manage_leader_index', ['indices:admin/xpack/ccr/forget_follower*']],
  ['manage_ilm', ['indices:admin/ilm/*']],
  ['manage_data_stream_lifecycle', ['indices:admin/data_stream/lifecycle/*']],
  ['maintenance', ['indices:admin/refresh*', 'indices:admin/flush*', 'indices:admin/synced_flush', 'indices:admin/forcemerge*']],
  ['auto_configure', ['indices:admin/mapping/auto_put', 'indices:admin/auto_create']],
  [
    'cross_cluster_replication',
    [
      'indices:data/read/xpack/ccr/shard_changes*',
      'indices:monitor/stats*',
      'indices:admin/seq_no/add_retention_lease*',
      'indices:admin/seq_no/remove_retention_lease*',
      'indices:admin/seq_no/renew_retention_lease*',
    ],
  ],
  [
    'cross_cluster_replication_internal',
    [
      'indices:internal/admin/ccr/restore/session/clear*',
      'indices:internal/admin/ccr/restore/file_chunk/get*',
      'indices:internal/admin/ccr/restore/session/put*',
      'internal:transport/proxy/indices:internal/admin/ccr/restore/session/clear*',
      'internal:transport/proxy/indices:internal/admin/ccr/restore/file_chunk/get*',
    ],
  ],
]);

/** `IndexPrivilege.ACTION_MATCHER`: what `all` covers, and so what a privilege written as an action pattern may name. */
export const INDEX_ACTION_PREFIXES = ['indices:', 'internal:transport/proxy/indices:'] as const;
